package dev.kiln.backend.opencl.render;

import dev.kiln.ir.ops.onnx.ConvGeometry;

import java.util.Arrays;

/**
 * Conv and {@code kiln:FusedConv} (any spatial rank, groups including depthwise) as one single-work-item loop
 * nest: batch, output channel and output position outside; kernel taps, then the input channels of the group
 * innermost, unrolled — the FPGA's vector of multiply-adds. Weights are copied to {@code __local} memory first
 * when they fit the layer's on-chip share.
 */
final class ConvRenderer {
    private ConvRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long[] w = layer.in(1);
        long[] y = layer.out();
        int r = x.length - 2;
        long groups = layer.intAttr("group", 1);
        long cg = w[1];
        long mg = w[0] / groups;
        long[] kernel = Arrays.copyOfRange(w, 2, w.length);
        ConvGeometry g = ConvGeometry.forward(Arrays.copyOfRange(x, 2, x.length), kernel, layer.node()::attribute, false);
        Epilogue epilogue = Epilogue.of(layer);
        boolean bias = layer.hasInput(2);
        long weights = Index.product(w, 0, w.length);
        boolean onChip = layer.constant(1) != null && options.fitsOnChip(weights);
        int unroll = options.unroll(layer.node().name(), cg);

        layer.input(0, "x");
        layer.input(1, "w");
        if (bias) layer.input(2, "b");
        if (epilogue.hasResidual()) layer.input(3, "z");
        layer.output("y");
        CWriter c = layer.begin();
        String wv = "w";
        if (onChip) {
            wv = "w_local";
            c.line("__local float w_local[" + weights + "];");
            c.loop("i", weights, options.unroll(layer.node().name() + "/load", weights)).line("w_local[i] = w[i];").close();
        }
        String[] o = Index.vars("o", r);
        String[] k = Index.vars("k", r);
        String[] in = Index.vars("i", r);
        c.loop("n", y[0]).loop("m", y[1]);
        if (groups > 1) c.line("const int group = m / " + mg + ";");
        for (int d = 0; d < r; d++) c.loop(o[d], y[2 + d]);
        c.line("float acc = " + (bias ? "b[m]" : "0.0f") + ";");
        StringBuilder inside = new StringBuilder();
        for (int d = 0; d < r; d++) {
            c.loop(k[d], kernel[d]);
            c.line("const int " + in[d] + " = " + Index.tap(o[d], g.strides()[d], g.padsBegin()[d], k[d], g.dilations()[d]) + ";");
            if (!inside.isEmpty()) inside.append(" && ");
            inside.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(x[2 + d]);
        }
        if (r > 0) c.open("if (" + inside + ")");
        c.loop("c", cg, unroll);
        long[] xs = Index.strides(x);
        long[] ws = Index.strides(w);
        String channel = groups > 1 ? "group * " + cg + " + c" : "c";
        String xIndex = "(n * " + x[1] + " + " + channel + ") * " + xs[1] + spatial(in, xs, 2);
        String wIndex = "(m * " + cg + " + c) * " + ws[1] + spatial(k, ws, 2);
        c.line("acc += x[" + xIndex + "] * " + wv + "[" + wIndex + "];");
        c.close(r > 0 ? 2 : 1).close(r);
        long[] ys = Index.strides(y);
        String yIndex = "(n * " + y[1] + " + m) * " + ys[1] + spatial(o, ys, 2);
        epilogue.apply(c, "acc", "z[" + yIndex + "]");
        c.line("y[" + yIndex + "] = acc;");
        c.close(r + 2);
        String shape = y[1] + "x" + cg + (r > 0 ? "x" + String.join("x", Arrays.stream(kernel).mapToObj(Long::toString).toList()) : "");
        return layer.finish(c, "single-work-item conv " + shape + (groups > 1 ? " (" + groups + " groups)" : "")
                + ", unroll " + unroll + ", weights " + (onChip ? "__local" : "__global") + epilogue.describe());
    }

    /** {@code  + v0 * s[from] + v1 * s[from+1] ...} for the spatial part of an index. */
    private static String spatial(String[] vars, long[] strides, int from) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < vars.length; d++) b.append(" + ").append(vars[d]).append(strides[from + d] == 1 ? "" : " * " + strides[from + d]);
        return b.toString();
    }
}
