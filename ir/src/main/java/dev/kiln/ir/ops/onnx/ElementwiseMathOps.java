package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ElementwiseInference.BOOL;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.FLOATS;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.INTS;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.NUMERIC;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.SIGNED_NUMERIC;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.unary;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.unaryTo;

/** Unary math and activation functions: one tensor in, one tensor of the same shape out. */
public final class ElementwiseMathOps implements OpFamily {
    /** IsNaN and IsInf also read the float8 formats (opset 20). */
    private static final Set<DType> FLOATS_AND_FLOAT8;

    static {
        EnumSet<DType> s = EnumSet.copyOf(FLOATS);
        s.addAll(List.of(DType.F8E4M3FN, DType.F8E4M3FNUZ, DType.F8E5M2, DType.F8E5M2FNUZ));
        FLOATS_AND_FLOAT8 = s;
    }

    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> all = new ArrayList<>();
        for (String op : List.of("Ceil", "Floor", "Reciprocal", "Sqrt", "Exp", "Log", "Tanh", "Sigmoid", "Softsign")) {
            all.add(OpSchema.op(op).since(1).inputs(1).infer(unary(FLOATS)));
        }
        for (String op : List.of("Cos", "Sin", "Tan", "Acos", "Asin", "Atan")) {
            all.add(OpSchema.op(op).since(7).inputs(1).infer(unary(FLOATS)));
        }
        for (String op : List.of("Cosh", "Sinh", "Acosh", "Asinh", "Atanh")) {
            all.add(OpSchema.op(op).since(9).inputs(1).infer(unary(FLOATS)));
        }
        all.add(OpSchema.op("Round").since(11).inputs(1).infer(unary(FLOATS)));
        all.add(OpSchema.op("Abs").since(1).inputs(1).infer(unary(NUMERIC)));
        all.add(OpSchema.op("Neg").since(1).inputs(1).infer(unary(SIGNED_NUMERIC)));
        all.add(OpSchema.op("Sign").since(9).inputs(1).infer(unary(NUMERIC)));
        all.add(OpSchema.op("Erf").since(9).inputs(1).infer(unary(NUMERIC)));
        all.add(OpSchema.op("Relu").since(1).inputs(1).infer(unary(SIGNED_NUMERIC)));
        all.add(OpSchema.op("Not").since(1).inputs(1).infer(unary(BOOL)));
        all.add(OpSchema.op("BitwiseNot").since(18).inputs(1).infer(unary(INTS)));
        all.add(OpSchema.op("IsNaN").since(9).inputs(1).infer(unaryTo(FLOATS_AND_FLOAT8, DType.BOOL)));
        all.add(OpSchema.op("IsInf").since(10).inputs(1)
                .attr(AttrSpec.withDefault("detect_negative", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("detect_positive", Attribute.of(1L)))
                .infer(unaryTo(FLOATS_AND_FLOAT8, DType.BOOL)));
        all.addAll(activations());
        return all;
    }

    private static List<OpSchema> activations() {
        List<OpSchema> all = new ArrayList<>();
        all.add(floatActivation("LeakyRelu", 1).attr(alpha(0.01f)).infer(unary(FLOATS)));
        all.add(floatActivation("Elu", 1).attr(alpha(1.0f)).infer(unary(FLOATS)));
        // Selu's constants are the float32 values ONNX writes in its spec.
        all.add(floatActivation("Selu", 1).attr(alpha(1.67326319217681884765625f))
                .attr(AttrSpec.withDefault("gamma", Attribute.of(1.05070102214813232421875f))).infer(unary(FLOATS)));
        all.add(floatActivation("Celu", 12).attr(alpha(1.0f)).infer(unary(FLOATS)));
        all.add(floatActivation("HardSigmoid", 1).attr(alpha(0.2f))
                .attr(AttrSpec.withDefault("beta", Attribute.of(0.5f))).infer(unary(FLOATS)));
        all.add(floatActivation("HardSwish", 14).infer(unary(FLOATS)));
        all.add(floatActivation("Softplus", 1).infer(unary(FLOATS)));
        all.add(floatActivation("Mish", 18).infer(unary(FLOATS)));
        all.add(floatActivation("Gelu", 20).attr(AttrSpec.withDefault("approximate", Attribute.of("none")))
                .infer(ctx -> {
                    String mode = ctx.stringAttr("approximate");
                    if (!mode.equals("none") && !mode.equals("tanh")) throw ctx.fail("approximate must be 'none' or 'tanh', got '" + mode + "'");
                    return unary(FLOATS).infer(ctx);
                }));
        all.add(floatActivation("Swish", 24).attr(alpha(1.0f)).infer(unary(FLOATS)));
        all.add(floatActivation("ThresholdedRelu", 10).attr(alpha(1.0f)).infer(unary(FLOATS)));
        all.add(floatActivation("Shrink", 9).attr(AttrSpec.withDefault("bias", Attribute.of(0.0f)))
                .attr(AttrSpec.withDefault("lambd", Attribute.of(0.5f))).infer(unary(NUMERIC)));
        all.add(OpSchema.op("PRelu").since(1).inputs(2).infer(ctx -> {
            DType t = ElementwiseInference.sameDType(ctx, NUMERIC, 0, 1);
            // Before opset 7 a 1-D slope held one value per channel (dim 1) rather than broadcasting NumPy-style.
            if (ctx.opset() < 7) return InferenceContext.one(new TensorType(t, ctx.inputShape(0)));
            Shape out = ElementwiseInference.broadcastShape(ctx, 0, 1);
            Shape x = ctx.inputShape(0);
            if (x.hasRank() && out.hasRank() && out.rank() != x.rank()) {
                throw ctx.fail("slope " + ctx.inputShape(1) + " does not broadcast onto X" + x);
            }
            return InferenceContext.one(new TensorType(t, out));
        }));
        all.add(OpSchema.op("Clip").since(1).inputs(1, 3)
                .attr(AttrSpec.optional("min", Attribute.Kind.FLOAT))
                .attr(AttrSpec.optional("max", Attribute.Kind.FLOAT))
                .infer(ctx -> {
                    DType t = ElementwiseInference.checkedDType(ctx, 0, ctx.opset() < 11 ? FLOATS : NUMERIC);
                    for (int i = 1; i < 3; i++) {
                        if (!ctx.hasInput(i)) continue;
                        if (ctx.inputDType(i) != t) throw ctx.fail("bound input " + i + " must be " + t + ", got " + ctx.inputDType(i));
                        Shape s = ctx.inputShape(i);
                        if (s.isStatic() && s.elementCount() != 1) throw ctx.fail("bound input " + i + " must be a scalar, got " + s);
                    }
                    return InferenceContext.one(new TensorType(t, ctx.inputShape(0)));
                }));
        return all;
    }

    private static OpSchema.Builder floatActivation(String op, int since) { return OpSchema.op(op).since(since).inputs(1); }

    private static AttrSpec alpha(float value) { return AttrSpec.withDefault("alpha", Attribute.of(value)); }
}
