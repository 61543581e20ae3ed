package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.ElementwiseInference.ANY;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.BOOL;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.FLOATS;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.INTS;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.NUMERIC;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.UNSIGNED_INTS;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.binary;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.variadic;

/** Binary and variadic elementwise ops with NumPy broadcasting: arithmetic, comparison, logic, bitwise, Where. */
public final class ElementwiseBinaryOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> all = new ArrayList<>();
        for (String op : List.of("Add", "Sub", "Mul", "Div")) all.add(legacy(op, 1).infer(binary(NUMERIC, null)));
        all.add(legacy("Pow", 1).infer(ElementwiseBinaryOps::pow));
        all.add(OpSchema.op("Mod").since(10).inputs(2).attr(AttrSpec.withDefault("fmod", Attribute.of(0L))).infer(ctx -> {
            long fmod = ctx.intAttr("fmod");
            if (fmod != 0 && fmod != 1) throw ctx.fail("fmod must be 0 or 1, got " + fmod);
            return binary(NUMERIC, null).infer(ctx);
        }));
        all.add(OpSchema.op("BitShift").since(11).inputs(2).attr(AttrSpec.required("direction", Attribute.Kind.STRING)).infer(ctx -> {
            String direction = ctx.stringAttr("direction");
            if (!direction.equals("LEFT") && !direction.equals("RIGHT")) {
                throw ctx.fail("direction must be LEFT or RIGHT, got '" + direction + "'");
            }
            return binary(UNSIGNED_INTS, null).infer(ctx);
        }));
        for (String op : List.of("And", "Or", "Xor")) all.add(legacy(op, 1).infer(binary(BOOL, DType.BOOL)));
        for (String op : List.of("BitwiseAnd", "BitwiseOr", "BitwiseXor")) {
            all.add(OpSchema.op(op).since(18).inputs(2).infer(binary(INTS, null)));
        }
        all.add(legacy("Equal", 1).infer(binary(ANY, DType.BOOL)));
        for (String op : List.of("Greater", "Less")) all.add(legacy(op, 1).infer(binary(NUMERIC, DType.BOOL)));
        for (String op : List.of("GreaterOrEqual", "LessOrEqual")) {
            all.add(OpSchema.op(op).since(12).inputs(2).infer(binary(NUMERIC, DType.BOOL)));
        }
        all.add(OpSchema.op("Where").since(9).inputs(3).infer(ElementwiseBinaryOps::where));
        for (String op : List.of("Max", "Min")) all.add(OpSchema.op(op).since(1).inputs(1, Integer.MAX_VALUE).infer(variadic(NUMERIC)));
        for (String op : List.of("Sum", "Mean")) all.add(OpSchema.op(op).since(1).inputs(1, Integer.MAX_VALUE).infer(variadic(FLOATS)));
        return all;
    }

    /** A binary op that, before opset 7, broadcast only on request ({@code broadcast}, {@code axis}). */
    private static OpSchema.Builder legacy(String op, int since) {
        return OpSchema.op(op).since(since).inputs(2)
                .attr(AttrSpec.optional("broadcast", Attribute.Kind.INT))
                .attr(AttrSpec.optional("axis", Attribute.Kind.INT));
    }

    /** Pow's exponent may have another numeric type than its base; the result has the base's type. */
    private static List<ValueType> pow(InferenceContext ctx) {
        DType base = ElementwiseInference.checkedDType(ctx, 0, NUMERIC);
        ElementwiseInference.checkedDType(ctx, 1, NUMERIC);
        Shape shape = ctx.opset() < 7 ? ElementwiseInference.legacyBroadcastShape(ctx) : ElementwiseInference.broadcastShape(ctx, 0, 1);
        return InferenceContext.one(new TensorType(base, shape));
    }

    private static List<ValueType> where(InferenceContext ctx) {
        ElementwiseInference.checkedDType(ctx, 0, BOOL);
        DType t = ElementwiseInference.sameDType(ctx, ANY, 1, 2);
        return InferenceContext.one(new TensorType(t, ElementwiseInference.broadcastShape(ctx, 0, 1, 2)));
    }
}
