package dev.kiln.ir.ops.microsoft;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ONNX Runtime's quantized contrib ops of domain {@code com.microsoft} (opset 1) that ORT's QOperator quantizer
 * emits and {@code lower-qdq} lowers to, with ORT's input order and attributes. Each means "dequantize the inputs,
 * run the float op, quantize the result" with per-tensor float32 scales and int8/uint8 zero points:
 * <ul>
 * <li>{@code QLinearAdd}, {@code QLinearMul}(A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale,
 * C_zero_point?): broadcasting Add / Mul.</li>
 * <li>{@code QLinearConcat}(Y_scale, Y_zero_point, (X_i, X_i_scale, X_i_zero_point)...), attribute {@code axis}.</li>
 * <li>{@code QLinearAveragePool}(X, x_scale, x_zero_point?, y_scale, y_zero_point?): AveragePool's attributes plus
 * {@code channels_last}.</li>
 * <li>{@code QLinearGlobalAveragePool}(X, x_scale, x_zero_point, y_scale, y_zero_point), attribute
 * {@code channels_last}.</li>
 * </ul>
 * Shapes come from the float op's own inference; {@code channels_last = 1} (NHWC) is typed but no kernel runs it.
 */
public final class MicrosoftQuantOps implements OpFamily {
    public static final String DOMAIN = "com.microsoft";
    public static final int OPSET = 1;
    private static final Set<DType> EIGHT_BIT = Set.of(DType.I8, DType.U8);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op(DOMAIN, "QLinearAdd").since(1).inputs(7, 8).outputs(1).infer(ctx -> binary(ctx, "Add")),
                OpSchema.op(DOMAIN, "QLinearMul").since(1).inputs(7, 8).outputs(1).infer(ctx -> binary(ctx, "Mul")),
                OpSchema.op(DOMAIN, "QLinearConcat").since(1).inputs(5, Integer.MAX_VALUE).outputs(1)
                        .attr(AttrSpec.required("axis", Attribute.Kind.INT)).infer(MicrosoftQuantOps::concat),
                OpSchema.op(DOMAIN, "QLinearAveragePool").since(1).inputs(4, 5).outputs(1)
                        .attr(AttrSpec.withDefault("auto_pad", Attribute.of("NOTSET")))
                        .attr(AttrSpec.withDefault("ceil_mode", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("channels_last", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("count_include_pad", Attribute.of(0L)))
                        .attr(AttrSpec.required("kernel_shape", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("pads", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("strides", Attribute.Kind.INTS))
                        .infer(ctx -> unary(ctx, "AveragePool", 3)),
                OpSchema.op(DOMAIN, "QLinearGlobalAveragePool").since(1).inputs(5).outputs(1)
                        .attr(AttrSpec.withDefault("channels_last", Attribute.of(0L)))
                        .infer(ctx -> unary(ctx, "GlobalAveragePool", 3)));
    }

    private static List<ValueType> binary(InferenceContext ctx, String op) {
        DType t = eightBit(ctx, 0);
        requireSame(ctx, 3, t);
        scales(ctx, 1, 4, 6);
        zeroPoints(ctx, t, 2, 5, 7);
        return asFloat(ctx, op, List.of(0, 3), t);
    }

    private static List<ValueType> concat(InferenceContext ctx) {
        if ((ctx.inputCount() - 2) % 3 != 0) throw ctx.fail("inputs must be Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples, got " + ctx.inputCount());
        DType t = ctx.inputDType(1);
        if (!EIGHT_BIT.contains(t)) throw ctx.fail("Y_zero_point must be int8 or uint8, got " + t);
        scales(ctx, 0);
        List<Integer> data = new ArrayList<>();
        for (int i = 2; i < ctx.inputCount(); i += 3) {
            requireSame(ctx, i, t);
            scales(ctx, i + 1);
            zeroPoints(ctx, t, i + 2);
            data.add(i);
        }
        return asFloat(ctx, "Concat", data, t);
    }

    private static List<ValueType> unary(InferenceContext ctx, String op, int yScale) {
        DType t = eightBit(ctx, 0);
        scales(ctx, 1, yScale);
        zeroPoints(ctx, t, 2, yScale + 1);
        if (ctx.node().hasAttribute("channels_last") && ctx.node().attribute("channels_last").asInt() != 0) {
            throw ctx.fail("channels_last = 1 (NHWC) is not supported");
        }
        return asFloat(ctx, op, List.of(0), t);
    }

    private static DType eightBit(InferenceContext ctx, int i) {
        DType t = ctx.inputDType(i);
        if (!EIGHT_BIT.contains(t)) throw ctx.fail("input " + i + " must be int8 or uint8, got " + t);
        return t;
    }

    private static void requireSame(InferenceContext ctx, int i, DType t) {
        if (ctx.inputDType(i) != t) throw ctx.fail("input " + i + " is " + ctx.inputDType(i) + ", expected " + t);
    }

    private static void scales(InferenceContext ctx, int... at) {
        for (int i : at) {
            TensorType s = ctx.input(i);
            if (s.dtype() != DType.F32) throw ctx.fail("scale (input " + i + ") must be float32, got " + s.dtype());
            if (s.shape().hasRank() && s.shape().isStatic() && s.shape().elementCount() != 1) throw ctx.fail("scale (input " + i + ") must be a scalar, got " + s);
        }
    }

    private static void zeroPoints(InferenceContext ctx, DType t, int... at) {
        for (int i : at) {
            if (!ctx.hasInput(i)) continue;
            TensorType z = ctx.input(i);
            if (z.dtype() != t) throw ctx.fail("zero point (input " + i + ") must be " + t + ", got " + z.dtype());
            if (z.shape().hasRank() && z.shape().isStatic() && z.shape().elementCount() != 1) throw ctx.fail("zero point (input " + i + ") must be a scalar, got " + z);
        }
    }

    /** Types the float op over float32 stand-ins of the {@code data} inputs, then gives its output the 8-bit type. */
    private static List<ValueType> asFloat(InferenceContext ctx, String op, List<Integer> data, DType t) {
        List<Value> inputs = new ArrayList<>();
        for (int i : data) {
            Value v = ctx.node().input(i);
            inputs.add(new Value(v.name(), new TensorType(DType.F32, ctx.inputShape(i))));
        }
        Node n = ctx.node();
        Node floatNode = new Node(n.name(), "", op, inputs, n.outputs(), n.attributes());
        OpSchema schema = OpRegistry.standard().find("", op);
        InferenceContext floatCtx = new InferenceContext(floatNode, schema, 19, ctx.constants(), ctx.visibleTypes());
        TensorType y = (TensorType) schema.inference().infer(floatCtx).getFirst();
        return List.of(new TensorType(t, y.shape()));
    }
}
