package dev.kiln.backend.opencl.render;

import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.ConvGeometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * QLinearConv and ConvInteger (any spatial rank, groups including depthwise): the FPGA's fixed-point
 * multiply-add. Each product is of zero-point-corrected 8-bit operands, accumulated in an {@code int}; padded taps
 * are skipped (their corrected value is zero). ConvInteger stores the int32 sum; QLinearConv adds the int32 bias
 * and requantizes as ONNX says — multiply by {@code x_scale * w_scale[m] / y_scale} in float32, round half to even
 * ({@code rint}), add {@code y_zero_point}, saturate. Weights are copied to {@code __local} when they fit, already
 * corrected by their zero point (as {@code short}: 9 bits). A 2-D conv reads its input through a {@link ConvLineBuffer}
 * of corrected inputs when all of a group's channels fit (an 8-bit output cannot hold partial sums of channel tiles);
 * otherwise the per-tap loop nest of {@link ConvRenderer}, the group's input channels innermost and unrolled.
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
        boolean onChip = layer.constant(at.w()) != null && options.fitsOnChipBytes(weights * Short.BYTES, 0);
        ConvArithmetic arithmetic = arithmetic(layer, at, onChip);
        ConvRenderer.Shape s = new ConvRenderer.Shape(x, w, y, groups, cg, mg, kernel, g);
        ConvLineBuffer lines = r == 2 ? ConvLineBuffer.fit(s, options, onChip ? weights * Short.BYTES : 0, arithmetic) : null;
        if (lines != null) layer.output("y");
        else layer.outputInOrder("y");
        CWriter c = layer.begin();
        c.line("const int xz = " + (present(layer, at.xZero()) ? "x_zero_point[0]" : "0") + ";");
        if (onChip) {
            c.line("__local short w_local[" + weights + "];");
            c.loop("i", weights, options.unroll(layer.node().name() + "/load", weights));
            c.line("const int m = i / " + perChannel + ";");
            c.line("w_local[i] = (short) (w[i] - " + weightZero(layer, at) + ");").close();
        }
        int unroll;
        String input;
        if (lines != null) {
            unroll = options.unroll(layer.node().name(), lines.tile());
            lines.render(c, arithmetic, unroll);
            input = "input window: line buffer " + lines.describe() + " (zero-point corrected)";
        } else {
            unroll = options.unroll(layer.node().name(), cg);
            tapped(layer, c, s, arithmetic, unroll);
            input = "input window: __global per tap" + (r == 2 ? " (a line buffer does not fit the layer's on-chip share)" : "");
        }
        DType out = layer.node().output(0).tensorType().dtype();
        String shape = y[1] + "x" + cg + "x" + String.join("x", Arrays.stream(kernel).mapToObj(Long::toString).toList());
        return layer.finish(c, "single-work-item " + (qlinear ? "quantized conv to " + out.shortName() : "integer conv to i32") + " " + shape
                + (groups > 1 ? " (" + groups + " groups)" : "") + ", int multiply-add, unroll " + unroll
                + ", weights " + (onChip ? "__local (zero-point corrected)" : "__global") + ", " + input);
    }

    /**
     * Int multiply-adds: the line buffer holds inputs less their zero point as {@code short}; weights are corrected
     * on chip already, or here per output channel; QLinearConv requantizes the sum (plus bias) at the end.
     */
    private static ConvArithmetic arithmetic(Layer layer, Operands at, boolean onChip) {
        boolean qlinear = at == Operands.QLINEAR;
        List<String> perChannel = new ArrayList<>();
        if (!onChip) perChannel.add("const int wz = " + weightZero(layer, at) + ";");
        if (qlinear) perChannel.add("const float multiplier = (x_scale[0] * w_scale" + channel(layer, at.wScale(), "m") + ") / y_scale[0];");
        String result = "acc";
        if (qlinear) {
            String sum = present(layer, at.bias()) ? "acc + b" + channel(layer, at.bias(), "m") : "acc";
            String zero = present(layer, at.yZero()) ? "y_zero_point[0]" : "0";
            result = CTypes.saturate(layer.node().output(0).tensorType().dtype(), "rint((float) (" + sum + ") * multiplier)", zero);
        }
        return new ConvArithmetic("short", v -> "(short) (" + v + " - xz)", "0", "int", "0", perChannel,
                i -> onChip ? "w_local[" + i + "]" : "(w[" + i + "] - wz)", (c, yIndex) -> { }, result, false);
    }

    private static String weightZero(Layer layer, Operands at) {
        return present(layer, at.wZero()) ? "w_zero_point" + channel(layer, at.wZero(), "m") : "0";
    }

    /** The loop nest reading each tap's input from the input buffer (padded taps skipped: their corrected value is 0). */
    private static void tapped(Layer layer, CWriter c, ConvRenderer.Shape s, ConvArithmetic a, int unroll) {
        long[] x = s.x();
        long[] y = s.y();
        int r = x.length - 2;
        c.loop("n", y[0]).loop("m", y[1]);
        if (s.groups() > 1) c.line("const int group = m / " + s.mg() + ";");
        a.perChannel().forEach(c::line);
        String[] o = Index.vars("o", r);
        String[] k = Index.vars("k", r);
        String[] in = Index.vars("i", r);
        for (int d = 0; d < r; d++) c.loop(o[d], y[2 + d]);
        c.line("int acc = 0;");
        StringBuilder inside = new StringBuilder();
        for (int d = 0; d < r; d++) {
            c.loop(k[d], s.kernel()[d]);
            c.line("const int " + in[d] + " = " + Index.tap(o[d], s.g().strides()[d], s.g().padsBegin()[d], k[d], s.g().dilations()[d]) + ";");
            if (!inside.isEmpty()) inside.append(" && ");
            inside.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(x[2 + d]);
        }
        c.open("if (" + inside + ")");
        c.loop("c", s.cg(), unroll);
        long[] xs = Index.strides(x);
        long[] ws = Index.strides(s.w());
        String xIndex = "(n * " + x[1] + " + " + (s.groups() > 1 ? "group * " + s.cg() + " + c" : "c") + ") * " + xs[1] + ConvRenderer.spatial(in, xs, 2);
        String wIndex = "(m * " + s.cg() + " + c) * " + ws[1] + ConvRenderer.spatial(k, ws, 2);
        c.line("acc += (x[" + xIndex + "] - xz) * " + a.weight().apply(wIndex) + ";");
        c.close(2).close(r);
        long[] ys = Index.strides(y);
        c.line(layer.store("y", "(n * " + y[1] + " + m) * " + ys[1] + ConvRenderer.spatial(o, ys, 2), a.result()));
        c.close(r + 2);
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
