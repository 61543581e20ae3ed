package dev.kiln.backend.opencl.render;

import dev.kiln.ir.DType;

/**
 * The float boundaries of a quantized graph: QuantizeLinear ({@code saturate(rint(x / scale) + zero_point)}),
 * DequantizeLinear ({@code (x - zero_point) * scale}), per tensor or per axis, and DynamicQuantizeLinear (uint8
 * with the scale and zero point taken from the data's range, as the op's function body computes them in float).
 * One element loop each, unrolled; a per-axis scale is indexed by the element's coordinate along the axis.
 */
final class QuantizeRenderer {
    private QuantizeRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        return layer.node().op().equals("DynamicQuantizeLinear") ? dynamic(layer, options) : linear(layer, options);
    }

    private static KernelSource linear(Layer layer, RenderOptions options) {
        boolean quantize = layer.node().op().equals("QuantizeLinear");
        long[] x = layer.in(0);
        long count = Index.product(x, 0, x.length);
        long scales = Index.product(layer.in(1), 0, layer.in(1).length);
        boolean zero = layer.hasInput(2);
        layer.inputInOrder(0, "x");
        layer.input(1, "scale");
        if (zero) layer.input(2, "zero_point");
        layer.outputInOrder("y");
        CWriter c = layer.begin();
        String at = "0";
        if (scales == 1) {
            c.line("const float s = scale[0];");
            c.line("const int z = " + (zero ? "zero_point[0]" : "0") + ";");
        }
        int unroll = options.unroll(layer.node().name(), count);
        c.loop("i", count, unroll);
        if (scales > 1) {
            at = "(i / " + inner(layer, x) + ") % " + scales;
            c.line("const float s = scale[" + at + "];");
            c.line("const int z = " + (zero ? "zero_point[" + at + "]" : "0") + ";");
        }
        String xi = layer.read(0, "x", "i");
        DType out = layer.node().output(0).tensorType().dtype();
        String value = quantize ? CTypes.saturate(out, "rint(" + xi + " / s)", "z") : "(float) (" + xi + " - z) * s";
        c.line(layer.store("y", "i", value));
        c.close();
        return layer.finish(c, "single-work-item " + (quantize ? "quantize to " + out.shortName() : "dequantize")
                + (scales > 1 ? " per axis (" + scales + " scales)" : " per tensor") + ", unroll " + unroll);
    }

    /** Elements between consecutive coordinates along the op's axis. */
    private static long inner(Layer layer, long[] x) {
        long axis = layer.intAttr("axis", 1);
        if (axis < 0) axis += x.length;
        return Index.product(x, (int) axis + 1, x.length);
    }

    private static KernelSource dynamic(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long count = Index.product(x, 0, x.length);
        int unroll = options.unroll(layer.node().name(), count);
        layer.input(0, "x");
        layer.extraOutput(1, "y_scale");
        layer.extraOutput(2, "y_zero_point");
        layer.output("y");
        CWriter c = layer.begin();
        c.line("/* the range, widened to include 0 */");
        c.line("float lo = 0.0f;");
        c.line("float hi = 0.0f;");
        c.loop("i", count, unroll).line("lo = fmin(lo, x[i]);").line("hi = fmax(hi, x[i]);").close();
        c.line("const float s = (hi - lo) / 255.0f;");
        c.line("const float z = s == 0.0f ? 0.0f : rint(clamp(0.0f - lo / s, 0.0f, 255.0f));");
        c.line("y_scale[0] = s;");
        c.line("y_zero_point[0] = (uchar) z;");
        c.loop("i", count, unroll);
        c.line("y[i] = " + CTypes.saturate(DType.U8, "(s == 0.0f ? 0.0f : rint(x[i] / s))", "z") + ";");
        c.close();
        return layer.finish(c, "single-work-item dynamic quantize to u8 (range pass, then quantize pass), unroll " + unroll);
    }
}
