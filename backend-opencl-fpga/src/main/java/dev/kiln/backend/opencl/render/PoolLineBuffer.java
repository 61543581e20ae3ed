package dev.kiln.backend.opencl.render;

import dev.kiln.ir.ops.onnx.ConvGeometry;

/**
 * A 2-D pool reading each plane through a line buffer: a {@code __local} ring of the rows the current output row's
 * window spans, as wide as the output row's taps reach, loaded as the window moves down (all rows for the first
 * output row, then only the {@code stride} rows entering it). Overlapping windows (a 3×3 window at stride 2) then
 * read each input element from global memory once instead of once per window; and when the loads visit every input
 * element, they do so exactly once in row-major order, so the input can stream in directly.
 */
final class PoolLineBuffer {
    private final long[] image;
    private final ConvGeometry g;
    private final long rows;
    private final long width;

    private PoolLineBuffer(long[] image, ConvGeometry g, long rows, long width) {
        this.image = image;
        this.g = g;
        this.rows = rows;
        this.width = width;
    }

    /** The line buffer when it fits the layer's on-chip share beside {@code usedBytes}; null otherwise or for an empty output. */
    static PoolLineBuffer fit(long[] image, long[] kernel, ConvGeometry g, RenderOptions options, long usedBytes) {
        long[] out = g.output();
        if (out[0] * out[1] == 0) return null;
        long rows = (kernel[0] - 1) * g.dilations()[0] + 1;
        long width = (out[1] - 1) * g.strides()[1] + (kernel[1] - 1) * g.dilations()[1] + 1;
        return options.fitsOnChip(rows * width, usedBytes) ? new PoolLineBuffer(image, g, rows, width) : null;
    }

    /**
     * Whether the loads visit every input element (no row skipped by a stride beyond the window, the last window
     * reaching the last row and column): then they read the input exactly once, in row-major order.
     */
    boolean readsAllInOrder() {
        long[] out = g.output();
        return g.strides()[0] <= rows && (out[0] - 1) * g.strides()[0] + rows - g.padsBegin()[0] >= image[0]
                && width - g.padsBegin()[1] >= image[1];
    }

    /** Declares the ring (at kernel scope). */
    void declare(CWriter c) { c.line("__local float lines[" + rows * width + "];"); }

    /** Inside the output-row loop {@code o0} of plane {@code p}: loads the rows entering the window. */
    void load(CWriter c, Layer layer) {
        long sh = g.strides()[0];
        c.line("/* load the rows entering the window: all " + rows + " for the first output row, then the " + Math.min(sh, rows) + " newest */");
        c.open("for (int r = o0 == 0 ? 0 : " + (rows - Math.min(sh, rows)) + "; r < " + rows + "; r++)");
        c.line("const int pr = " + (sh == 1 ? "o0" : "o0 * " + sh) + " + r;");
        c.line("const int ih = pr - " + g.padsBegin()[0] + ";");
        c.loop("col", width);
        c.line("const int iw = col - " + g.padsBegin()[1] + ";");
        String read = layer.read(0, "x", "p * " + image[0] * image[1] + " + ih * " + image[1] + " + iw");
        c.line("lines[(pr % " + rows + ") * " + width + " + col] = ih >= 0 && ih < " + image[0] + " && iw >= 0 && iw < " + image[1]
                + " ? " + read + " : 0.0f;");
        c.close(2);
    }

    /** The buffered input at image coordinates {@code i0, i1} (inside the current window). */
    String read(String[] in) {
        return "lines[((" + in[0] + " + " + g.padsBegin()[0] + ") % " + rows + ") * " + width + " + " + in[1] + " + " + g.padsBegin()[1] + "]";
    }

    /** For kernel descriptions. */
    String describe() { return rows + " rows x " + width + " columns __local"; }
}
