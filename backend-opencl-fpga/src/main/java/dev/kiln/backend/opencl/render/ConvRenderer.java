package dev.kiln.backend.opencl.render;

import dev.kiln.ir.ops.onnx.ConvGeometry;

import java.util.Arrays;

/**
 * Conv and {@code kiln:FusedConv} (any spatial rank, groups including depthwise). A 2-D conv whose input window
 * fits the layer's on-chip share beside its weights reads its input through a {@link ConvLineBuffer} (each input
 * element from global memory once); otherwise one single-work-item loop nest reads the input per tap: batch,
 * output channel and output position outside; kernel taps, then the input channels of the group innermost,
 * unrolled — the FPGA's vector of multiply-adds. Weights are copied to {@code __local} memory first when they fit.
 */
final class ConvRenderer {
    private ConvRenderer() {}

    /** The sizes both forms bake in. */
    record Shape(long[] x, long[] w, long[] y, long groups, long cg, long mg, long[] kernel, ConvGeometry g) {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long[] w = layer.in(1);
        long[] y = layer.out();
        int r = x.length - 2;
        long groups = layer.intAttr("group", 1);
        long[] kernel = Arrays.copyOfRange(w, 2, w.length);
        ConvGeometry g = ConvGeometry.forward(Arrays.copyOfRange(x, 2, x.length), kernel, layer.node()::attribute, false);
        Shape s = new Shape(x, w, y, groups, w[1], w[0] / groups, kernel, g);
        Epilogue epilogue = Epilogue.of(layer);
        boolean bias = layer.hasInput(2);

        layer.input(0, "x");
        layer.input(1, "w");
        if (bias) layer.input(2, "b");
        if (epilogue.hasResidual()) layer.input(3, "z");
        long used = layer.onChipUsed() + (layer.outputHeldWhole() ? Index.product(y, 0, y.length) * Float.BYTES : 0);
        long weights = Index.product(w, 0, w.length);
        boolean onChip = layer.constant(1) != null && options.fitsOnChip(weights, used);
        if (onChip) used += weights * Float.BYTES;
        ConvLineBuffer lines = r == 2 && !layer.inputOnChip(0) ? ConvLineBuffer.fit(s, options, used) : null;
        if (lines != null) layer.output("y");
        else layer.outputInOrder("y");
        CWriter c = layer.begin();
        String wv = "w";
        if (onChip) {
            wv = "w_local";
            c.line("__local float w_local[" + weights + "];");
            c.loop("i", weights, options.unroll(layer.node().name() + "/load", weights)).line("w_local[i] = w[i];").close();
        }
        String init = bias ? "b[m]" : "0.0f";
        int unroll;
        String input;
        if (lines != null) {
            unroll = options.unroll(layer.node().name(), lines.tile());
            lines.render(c, wv, init, unroll, epilogue);
            input = "input window: line buffer " + lines.describe();
        } else {
            unroll = options.unroll(layer.node().name(), s.cg());
            tapped(layer, c, s, wv, init, unroll, epilogue);
            input = "input window: __global per tap" + (r == 2 ? " (a line buffer does not fit the layer's on-chip share)" : "");
        }
        String shape = y[1] + "x" + s.cg() + (r > 0 ? "x" + String.join("x", Arrays.stream(kernel).mapToObj(Long::toString).toList()) : "");
        return layer.finish(c, "single-work-item conv " + shape + (groups > 1 ? " (" + groups + " groups)" : "")
                + ", unroll " + unroll + ", weights " + (onChip ? "__local" : "__global") + ", " + input + epilogue.describe());
    }

    /** The loop nest that reads each tap's input from the input buffer, in output order. */
    private static void tapped(Layer layer, CWriter c, Shape s, String wv, String init, int unroll, Epilogue epilogue) {
        long[] x = s.x();
        long[] y = s.y();
        int r = x.length - 2;
        String[] o = Index.vars("o", r);
        String[] k = Index.vars("k", r);
        String[] in = Index.vars("i", r);
        c.loop("n", y[0]).loop("m", y[1]);
        if (s.groups() > 1) c.line("const int group = m / " + s.mg() + ";");
        for (int d = 0; d < r; d++) c.loop(o[d], y[2 + d]);
        c.line("float acc = " + init + ";");
        StringBuilder inside = new StringBuilder();
        for (int d = 0; d < r; d++) {
            c.loop(k[d], s.kernel()[d]);
            c.line("const int " + in[d] + " = " + Index.tap(o[d], s.g().strides()[d], s.g().padsBegin()[d], k[d], s.g().dilations()[d]) + ";");
            if (!inside.isEmpty()) inside.append(" && ");
            inside.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(x[2 + d]);
        }
        if (r > 0) c.open("if (" + inside + ")");
        c.loop("c", s.cg(), unroll);
        long[] xs = Index.strides(x);
        long[] ws = Index.strides(s.w());
        String channel = s.groups() > 1 ? "group * " + s.cg() + " + c" : "c";
        String xIndex = "(n * " + x[1] + " + " + channel + ") * " + xs[1] + spatial(in, xs, 2);
        String wIndex = "(m * " + s.cg() + " + c) * " + ws[1] + spatial(k, ws, 2);
        c.line("acc += x[" + xIndex + "] * " + wv + "[" + wIndex + "];");
        c.close(r > 0 ? 2 : 1).close(r);
        long[] ys = Index.strides(y);
        String yIndex = "(n * " + y[1] + " + m) * " + ys[1] + spatial(o, ys, 2);
        epilogue.apply(c, "acc", "z[" + yIndex + "]");
        c.line(layer.store("y", yIndex, "acc"));
        c.close(r + 2);
    }

    /** {@code  + v0 * s[from] + v1 * s[from+1] ...} for the spatial part of an index. */
    static String spatial(String[] vars, long[] strides, int from) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < vars.length; d++) b.append(" + ").append(vars[d]).append(strides[from + d] == 1 ? "" : " * " + strides[from + d]);
        return b.toString();
    }
}
