package dev.kiln.backend.opencl.render;

/**
 * A 2-D conv reading its input through a line buffer, the FPGA way: a {@code __local} ring of the
 * {@code (kh-1)*dilation+1} input rows the current output row's window spans, for a tile of the group's input
 * channels, each row as wide as the output row's taps reach (pads stored as zeros, so the multiply-adds need no
 * bounds checks). Moving down one output row loads only the {@code stride} rows that enter the window, so each
 * input element is read from global memory once per channel tile — instead of once per output channel and tap.
 * All output channels of the row are computed from the buffer; with more than one channel tile, each tile adds its
 * partial sums to the output, and the last one applies the epilogue.
 */
final class ConvLineBuffer {
    private final ConvRenderer.Shape s;
    private final long rows;
    private final long width;
    private final long tile;

    private ConvLineBuffer(ConvRenderer.Shape s, long rows, long width, long tile) {
        this.s = s;
        this.rows = rows;
        this.width = width;
        this.tile = tile;
    }

    /**
     * The line buffer with the largest channel tile (a divisor of the group's input channels, so every tile is full)
     * that fits the layer's on-chip share beside the {@code usedBytes} already taken; null when not even one
     * channel's rows fit, or the output is empty.
     */
    static ConvLineBuffer fit(ConvRenderer.Shape s, RenderOptions options, long usedBytes) {
        long[] y = s.y();
        if (y[0] * y[1] * y[2] * y[3] == 0) return null;
        long rows = (s.kernel()[0] - 1) * s.g().dilations()[0] + 1;
        long width = (y[3] - 1) * s.g().strides()[1] + (s.kernel()[1] - 1) * s.g().dilations()[1] + 1;
        for (long tile = s.cg(); tile >= 1; tile--) {
            if (s.cg() % tile == 0 && options.fitsOnChip(rows * tile * width, usedBytes)) return new ConvLineBuffer(s, rows, width, tile);
        }
        return null;
    }

    long tile() { return tile; }

    /** For kernel descriptions. */
    String describe() {
        long tiles = s.cg() / tile;
        return rows + " rows x " + tile + " channels x " + width + " columns __local" + (tiles > 1 ? ", " + tiles + " channel tiles" : "");
    }

    /** The loop nest; {@code wv} names the weights, {@code init} the accumulator's start (bias or zero). */
    void render(CWriter c, String wv, String init, int unroll, Epilogue epilogue) {
        long[] x = s.x();
        long[] y = s.y();
        long tiles = s.cg() / tile;
        long sh = s.g().strides()[0];
        long sw = s.g().strides()[1];
        long kh = s.kernel()[0];
        long kw = s.kernel()[1];
        c.line("__local float lines[" + rows * tile * width + "];");
        c.loop("n", y[0]);
        if (s.groups() > 1) c.loop("group", s.groups());
        if (tiles > 1) c.loop("ct", tiles);
        String channelBase = (s.groups() > 1 ? "group * " + s.cg() + " + " : "") + (tiles > 1 ? "ct * " + tile + " + " : "");
        c.loop("oh", y[2]);
        c.line("/* load the rows entering the window: all " + rows + " for the first output row, then the " + Math.min(sh, rows) + " newest */");
        c.open("for (int r = oh == 0 ? 0 : " + (rows - Math.min(sh, rows)) + "; r < " + rows + "; r++)");
        c.line("const int pr = " + (sh == 1 ? "oh" : "oh * " + sh) + " + r;");
        c.line("const int ih = pr - " + s.g().padsBegin()[0] + ";");
        c.line("const int slot = pr % " + rows + ";");
        c.loop("cc", tile).loop("col", width);
        c.line("const int iw = col - " + s.g().padsBegin()[1] + ";");
        String xIndex = "((n * " + x[1] + " + " + channelBase + "cc) * " + x[2] + " + ih) * " + x[3] + " + iw";
        c.line("lines[(slot * " + tile + " + cc) * " + width + " + col] = ih >= 0 && ih < " + x[2] + " && iw >= 0 && iw < " + x[3]
                + " ? x[" + xIndex + "] : 0.0f;");
        c.close(3);
        if (s.groups() > 1) {
            c.loop("mm", s.mg());
            c.line("const int m = group * " + s.mg() + " + mm;");
        } else {
            c.loop("m", y[1]);
        }
        c.loop("ow", y[3]);
        String yIndex = "((n * " + y[1] + " + m) * " + y[2] + " + oh) * " + y[3] + " + ow";
        c.line("float acc = " + (tiles > 1 ? "ct == 0 ? " + init + " : y[" + yIndex + "]" : init) + ";");
        c.loop("kh", kh);
        c.line("const int slot = (" + (sh == 1 ? "oh" : "oh * " + sh) + " + kh" + times(s.g().dilations()[0]) + ") % " + rows + ";");
        c.loop("kw", kw);
        c.line("const int col = " + (sw == 1 ? "ow" : "ow * " + sw) + " + kw" + times(s.g().dilations()[1]) + ";");
        c.loop("cc", tile, unroll);
        String wIndex = "((m * " + s.cg() + " + " + (tiles > 1 ? "ct * " + tile + " + " : "") + "cc) * " + kh + " + kh) * " + kw + " + kw";
        c.line("acc += lines[(slot * " + tile + " + cc) * " + width + " + col] * " + wv + "[" + wIndex + "];");
        c.close(3);
        if (tiles > 1) c.open("if (ct == " + (tiles - 1) + ")");
        epilogue.apply(c, "acc", "z[" + yIndex + "]");
        if (tiles > 1) c.close();
        c.line("y[" + yIndex + "] = acc;");
        c.close(4 + (s.groups() > 1 ? 1 : 0) + (tiles > 1 ? 1 : 0));
    }

    private static String times(long factor) { return factor == 1 ? "" : " * " + factor; }
}
