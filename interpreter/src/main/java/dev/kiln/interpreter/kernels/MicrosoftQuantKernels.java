package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's quantized contrib ops ({@code com.microsoft}; schemas in
 * {@code dev.kiln.ir.ops.microsoft.MicrosoftQuantOps}), defined as what a Q/DQ graph computes: each input
 * dequantized to float32 ({@code (x - zp) · scale}, rounded to float), the float op's reference kernel, then
 * {@code saturate(rint(y / y_scale) + y_zp)} with the quotient rounded to float32 first, as QuantizeLinear does.
 * So a lowered graph gives the Q/DQ graph's numbers bit for bit. (ORT's own kernels use other arithmetic and may
 * differ from these by one quantization step.)
 */
public final class MicrosoftQuantKernels implements KernelFamily {
    private static final String PREFIX = "com.microsoft:";

    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                PREFIX + "QLinearAdd", ctx -> binary(ctx, "Add"),
                PREFIX + "QLinearMul", ctx -> binary(ctx, "Mul"),
                PREFIX + "QLinearConcat", MicrosoftQuantKernels::concat,
                PREFIX + "QLinearAveragePool", ctx -> unary(ctx, "AveragePool"),
                PREFIX + "QLinearGlobalAveragePool", ctx -> unary(ctx, "GlobalAveragePool"));
    }

    private static List<RuntimeValue> binary(KernelContext ctx, String op) {
        Tensor a = dequantize(ctx, 0, 1, 2);
        Tensor b = dequantize(ctx, 3, 4, 5);
        Node n = ctx.node();
        Tensor y = runFloat(ctx, op, List.of(n.input(0), n.input(3)), List.of(a, b), 14);
        return List.of(quantize(ctx, y, 6, 7, ctx.input(0).dtype()));
    }

    private static List<RuntimeValue> unary(KernelContext ctx, String op) {
        if (ctx.intAttr("channels_last", 0) != 0) throw ctx.fail("channels_last = 1 (NHWC) is not supported");
        Tensor x = dequantize(ctx, 0, 1, 2);
        Tensor y = runFloat(ctx, op, List.of(ctx.node().input(0)), List.of(x), 19);
        return List.of(quantize(ctx, y, 3, 4, ctx.input(0).dtype()));
    }

    private static List<RuntimeValue> concat(KernelContext ctx) {
        if ((ctx.inputCount() - 2) % 3 != 0) throw ctx.fail("inputs must be Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples");
        List<Value> values = new ArrayList<>();
        List<RuntimeValue> floats = new ArrayList<>();
        for (int i = 2; i < ctx.inputCount(); i += 3) {
            values.add(ctx.node().input(i));
            floats.add(dequantize(ctx, i, i + 1, i + 2));
        }
        Tensor y = runFloat(ctx, "Concat", values, floats, 13);
        return List.of(quantize(ctx, y, 0, 1, ctx.input(1).dtype()));
    }

    /** Input {@code xi} as float32: {@code (x - zp) · scale}, zero point 0 when absent. */
    private static Tensor dequantize(KernelContext ctx, int xi, int si, int zi) {
        Tensor x = ctx.input(xi);
        if (x.dtype() != DType.I8 && x.dtype() != DType.U8) throw ctx.fail("input " + xi + " must be int8 or uint8, got " + x.dtype());
        double scale = NnTensors.scalar(ctx, si, 1, "scale (input " + si + ")");
        double zero = NnTensors.scalar(ctx, zi, 0, "zero point (input " + zi + ")");
        double[] v = new double[x.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((x.getDouble(i) - zero) * scale);
        return Tensor.ofDoubles(DType.F32, x.shape(), v);
    }

    /** {@code saturate(rint((float) (y / scale)) + zp)} in {@code type}. */
    private static Tensor quantize(KernelContext ctx, Tensor y, int si, int zi, DType type) {
        double scale = NnTensors.scalar(ctx, si, 1, "scale (input " + si + ")");
        double zero = NnTensors.scalar(ctx, zi, 0, "zero point (input " + zi + ")");
        long[] range = NnTensors.integerRange(type);
        Tensor q = Tensor.zeros(type, y.shape());
        for (int i = 0; i < q.size(); i++) q.setLong(i, NnTensors.saturate(Math.rint((float) (y.getDouble(i) / scale)) + zero, range));
        return q;
    }

    /** Runs the float op's reference kernel on {@code inputs} with this node's attributes (less channels_last). */
    private static Tensor runFloat(KernelContext ctx, String op, List<Value> values, List<RuntimeValue> inputs, int opset) {
        Node n = ctx.node();
        Map<String, Attribute> attrs = new LinkedHashMap<>(n.attributes());
        attrs.remove("channels_last");
        Node floatNode = new Node(n.name(), "", op, values, n.outputs(), attrs);
        return (Tensor) RefKernels.find(op).run(ctx.delegate(floatNode, inputs, opset)).getFirst();
    }
}
