package dev.kiln.backend.opencl.render;

import dev.kiln.ir.tensor.Tensor;

/**
 * Pad in all four modes: one loop per output dim, each coordinate mapped back into the input — out of range
 * gives the constant (constant), the nearest edge (edge), the mirror image (reflect) or the other end (wrap).
 * Negative pads crop.
 */
final class PadRenderer {
    private PadRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long[] y = layer.out();
        int rank = x.length;
        long[] begin = new long[rank];
        long[] pads = layer.opset() < 11 ? layer.node().attribute("pads").asInts() : longs(layer.constant(1));
        long[] axes = new long[pads.length / 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        if (layer.opset() >= 18 && layer.hasInput(3)) axes = longs(layer.constant(3));
        for (int i = 0; i < axes.length; i++) begin[(int) (axes[i] < 0 ? axes[i] + rank : axes[i])] = pads[i];
        String mode = layer.stringAttr("mode", "constant");
        boolean valueBuffer = layer.opset() >= 11 && layer.hasInput(2);
        String fill = valueBuffer ? "value[0]" : Index.literal(layer.floatAttr("value", 0f));

        layer.input(0, "x");
        if (valueBuffer) layer.input(2, "value");
        layer.output("y");
        CWriter c = layer.begin();
        String[] o = Index.vars("o", rank);
        String[] in = Index.vars("i", rank);
        StringBuilder inside = new StringBuilder();
        for (int d = 0; d < rank; d++) {
            c.loop(o[d], y[d]);
            c.line("int " + in[d] + " = " + o[d] + " - " + begin[d] + ";");
            switch (mode) {
                case "edge" -> c.line(in[d] + " = clamp(" + in[d] + ", 0, " + (x[d] - 1) + ");");
                case "wrap" -> c.line(in[d] + " = ((" + in[d] + " % " + x[d] + ") + " + x[d] + ") % " + x[d] + ";");
                case "reflect" -> reflect(c, in[d], x[d]);
                default -> {
                    if (!inside.isEmpty()) inside.append(" && ");
                    inside.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(x[d]);
                }
            }
        }
        String read = "x[" + Index.dot(in, Index.strides(x)) + "]";
        String value = inside.isEmpty() ? read : "(" + inside + ") ? " + read + " : " + fill;
        c.line("y[" + Index.dot(o, Index.strides(y)) + "] = " + value + ";");
        c.close(rank);
        return layer.finish(c, "single-work-item pad (" + mode + ")");
    }

    /** Mirror without repeating the edge, folded into one period of 2·(size − 1) so any pad width works. */
    private static void reflect(CWriter c, String v, long size) {
        if (size == 1) {
            c.line(v + " = 0;");
            return;
        }
        long period = 2 * (size - 1);
        c.line(v + " = ((" + v + " % " + period + ") + " + period + ") % " + period + ";");
        c.line("if (" + v + " >= " + size + ") " + v + " = " + period + " - " + v + ";");
    }

    private static long[] longs(Tensor t) {
        long[] v = new long[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = t.getLong(i);
        return v;
    }
}
