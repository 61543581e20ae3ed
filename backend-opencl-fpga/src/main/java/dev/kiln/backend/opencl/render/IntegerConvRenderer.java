package dev.kiln.backend.opencl.render;

import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.ConvGeometry;

import java.util.Arrays;

/**
 * QLinearConv and ConvInteger (any spatial rank, groups including depthwise): the FPGA's fixed-point
 * multiply-add. Each product is of zero-point-corrected 8-bit operands, accumulated in an {@code int}; padded taps
 * are skipped (their corrected value is zero). ConvInteger stores the int32 sum; QLinearConv adds the int32 bias
 * and requantizes as ONNX says — multiply by {@code x_scale * w_scale[m] / y_scale} in float32, round half to even
 * ({@code rint}), add {@code y_zero_point}, saturate. Weights are copied to {@code __local} when they fit, already
 * corrected by their zero point (as {@code short}: 9 bits). Loop nest as {@link ConvRenderer}'s per-tap form, the
 * group's input channels innermost and unrolled.
 */
final class IntegerConvRenderer {
    private IntegerConvRenderer() {}

    /** Where each operand sits in the node's inputs: QLinearConv interleaves scales, ConvInteger has none. */
    private record Operands(int x, int w, int xZero, int wZero, int xScale, int wScale, int yScale, int yZero, int bias) {
        static final Operands QLINEAR = new Operands(0, 3, 2, 5, 1, 4, 6, 7, 8);
        static final Operands INTEGER = new Operands(0, 1, 2, 3, -1, -1, -1, -1, -1);
    }

    static KernelSource render(Layer layer, RenderOptions options) {
        boolean qlinear = layer.node().op().equals("QLinearConv");
        Operands at = qlinear ? Operands.QLINEAR : Operands.INTEGER;
        long[] x = layer.in(at.x());
        long[] w = layer.in(at.w());
        long[] y = layer.out();
        int r = x.length - 2;
        long groups = layer.intAttr("group", 1);
        long cg = w[1];
        long mg = w[0] / groups;
        long[] kernel = Arrays.copyOfRange(w, 2, w.length);
        ConvGeometry g = ConvGeometry.forward(Arrays.copyOfRange(x, 2, x.length), kernel, layer.node()::attribute, false);
        long weights = Index.product(w, 0, w.length);
        long perChannel = weights / Math.max(1, w[0]);

        layer.input(at.x(), "x");
        if (qlinear) layer.input(at.xScale(), "x_scale");
        if (present(layer, at.xZero())) layer.input(at.xZero(), "x_zero_point");
        layer.input(at.w(), "w");
        if (qlinear) layer.input(at.wScale(), "w_scale");
        if (present(layer, at.wZero())) layer.input(at.wZero(), "w_zero_point");
        if (qlinear) layer.input(at.yScale(), "y_scale");
        if (qlinear && present(layer, at.yZero())) layer.input(at.yZero(), "y_zero_point");
        if (qlinear && present(layer, at.bias())) layer.input(at.bias(), "b");
        layer.outputInOrder("y");
        boolean onChip = layer.constant(at.w()) != null && options.fitsOnChipBytes(weights * Short.BYTES, 0);
        CWriter c = layer.begin();
        c.line("const int xz = " + (present(layer, at.xZero()) ? "x_zero_point[0]" : "0") + ";");
        String wz = present(layer, at.wZero()) ? "w_zero_point" + channel(layer, at.wZero(), "m") : "0";
        String wv = "w";
        if (onChip) {
            wv = "w_local";
            c.line("__local short w_local[" + weights + "];");
            c.loop("i", weights, options.unroll(layer.node().name() + "/load", weights));
            c.line("const int m = i / " + perChannel + ";");
            c.line("w_local[i] = (short) (w[i] - " + wz + ");").close();
        }
        c.loop("n", y[0]).loop("m", y[1]);
        if (groups > 1) c.line("const int group = m / " + mg + ";");
        if (!onChip) c.line("const int wz = " + wz + ";");
        if (qlinear) c.line("const float multiplier = (x_scale[0] * w_scale" + channel(layer, at.wScale(), "m") + ") / y_scale[0];");
        String[] o = Index.vars("o", r);
        String[] k = Index.vars("k", r);
        String[] in = Index.vars("i", r);
        for (int d = 0; d < r; d++) c.loop(o[d], y[2 + d]);
        c.line("int acc = 0;");
        StringBuilder inside = new StringBuilder();
        for (int d = 0; d < r; d++) {
            c.loop(k[d], kernel[d]);
            c.line("const int " + in[d] + " = " + Index.tap(o[d], g.strides()[d], g.padsBegin()[d], k[d], g.dilations()[d]) + ";");
            if (!inside.isEmpty()) inside.append(" && ");
            inside.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(x[2 + d]);
        }
        c.open("if (" + inside + ")");
        int unroll = options.unroll(layer.node().name(), cg);
        c.loop("c", cg, unroll);
        long[] xs = Index.strides(x);
        long[] ws = Index.strides(w);
        String xIndex = "(n * " + x[1] + " + " + (groups > 1 ? "group * " + cg + " + c" : "c") + ") * " + xs[1] + ConvRenderer.spatial(in, xs, 2);
        String wIndex = "(m * " + cg + " + c) * " + ws[1] + ConvRenderer.spatial(k, ws, 2);
        String weight = onChip ? wv + "[" + wIndex + "]" : "(" + wv + "[" + wIndex + "] - wz)";
        c.line("acc += (x[" + xIndex + "] - xz) * " + weight + ";");
        c.close(2).close(r);
        long[] ys = Index.strides(y);
        String yIndex = "(n * " + y[1] + " + m) * " + ys[1] + ConvRenderer.spatial(o, ys, 2);
        String value = "acc";
        DType out = layer.node().output(0).tensorType().dtype();
        if (qlinear) {
            String sum = present(layer, at.bias()) ? "acc + b" + channel(layer, at.bias(), "m") : "acc";
            String zero = present(layer, at.yZero()) ? "y_zero_point[0]" : "0";
            value = CTypes.saturate(out, "rint((float) (" + sum + ") * multiplier)", zero);
        }
        c.line(layer.store("y", yIndex, value));
        c.close(r + 2);
        String shape = y[1] + "x" + cg + "x" + String.join("x", Arrays.stream(kernel).mapToObj(Long::toString).toList());
        return layer.finish(c, "single-work-item " + (qlinear ? "quantized conv to " + out.shortName() : "integer conv to i32") + " " + shape
                + (groups > 1 ? " (" + groups + " groups)" : "") + ", int multiply-add, unroll " + unroll
                + ", weights " + (onChip ? "__local (zero-point corrected)" : "__global") + ", input window: __global per tap");
    }

    static boolean present(Layer layer, int i) {
        return i >= 0 && i < layer.node().inputs().size() && layer.hasInput(i);
    }

    /** {@code [0]} for an operand holding one value, {@code [m]} for one holding a value per output channel. */
    static String channel(Layer layer, int i, String m) {
        long[] shape = layer.in(i);
        return Index.product(shape, 0, shape.length) == 1 ? "[0]" : "[" + m + "]";
    }
}
