package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ElementwiseInference.ANY;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.BOOL;
import static dev.kiln.ir.ops.onnx.ElementwiseInference.FLOATS;

/** Element type conversions (Cast, CastLike, BitCast) and the pass-through ops Identity, Dropout and Binarizer. */
public final class ElementwiseTypeOps implements OpFamily {
    /** Cast-1 named its target type by the TensorProto enum name; the index of each name is its type code. */
    private static final List<String> LEGACY_TYPE_NAMES = List.of("UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16",
            "INT32", "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16");

    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> all = new ArrayList<>();
        all.add(OpSchema.op("Cast").since(1).inputs(1)
                .attr(AttrSpec.required("to", Attribute.Kind.INT))
                .attr(AttrSpec.withDefault("saturate", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("round_mode", Attribute.of("up")))
                .infer(ctx -> {
                    checkCastAttrs(ctx);
                    DType from = ElementwiseInference.checkedDType(ctx, 0, ANY);
                    DType to = castTarget(ctx);
                    checkCastable(ctx, from, to);
                    return InferenceContext.one(new TensorType(to, ctx.inputShape(0)));
                }));
        all.add(OpSchema.op("CastLike").since(15).inputs(2)
                .attr(AttrSpec.withDefault("saturate", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("round_mode", Attribute.of("up")))
                .infer(ctx -> {
                    checkCastAttrs(ctx);
                    DType from = ElementwiseInference.checkedDType(ctx, 0, ANY);
                    DType to = ElementwiseInference.checkedDType(ctx, 1, ANY);
                    checkCastable(ctx, from, to);
                    return InferenceContext.one(new TensorType(to, ctx.inputShape(0)));
                }));
        all.add(OpSchema.op("BitCast").since(26).inputs(1)
                .attr(AttrSpec.required("to", Attribute.Kind.INT))
                .infer(ctx -> {
                    DType from = ctx.inputDType(0);
                    DType to = castTarget(ctx);
                    if (from == DType.STRING || to == DType.STRING) throw ctx.fail("strings have no bit pattern to reinterpret");
                    if (from.bits() != to.bits()) {
                        throw ctx.fail("cannot reinterpret " + from + " (" + from.bits() + " bits) as " + to + " (" + to.bits() + " bits)");
                    }
                    return InferenceContext.one(new TensorType(to, ctx.inputShape(0)));
                }));
        all.add(OpSchema.op("Identity").since(1).inputs(1).infer(ctx -> InferenceContext.one(ctx.inputType(0))));
        all.add(OpSchema.op("Dropout").since(1).inputs(1, 3).outputs(1, 2)
                .attr(AttrSpec.withDefault("ratio", Attribute.of(0.5f)))
                .attr(AttrSpec.optional("is_test", Attribute.Kind.INT))
                .attr(AttrSpec.optional("seed", Attribute.Kind.INT))
                .infer(ElementwiseTypeOps::dropout));
        all.add(OpSchema.op("ai.onnx.ml", "Binarizer").since(1).inputs(1)
                .attr(AttrSpec.withDefault("threshold", Attribute.of(0.0f)))
                .infer(ElementwiseInference.unary(EnumSet.of(DType.F32, DType.F64, DType.I64, DType.I32))));
        return all;
    }

    private static void checkCastAttrs(InferenceContext ctx) {
        long saturate = ctx.intAttr("saturate");
        if (saturate != 0 && saturate != 1) throw ctx.fail("saturate must be 0 or 1, got " + saturate);
        String mode = ctx.stringAttr("round_mode");
        if (!Set.of("up", "down", "nearest").contains(mode)) throw ctx.fail("round_mode must be up, down or nearest, got '" + mode + "'");
    }

    private static void checkCastable(InferenceContext ctx, DType from, DType to) {
        if (to.kind() == DType.Kind.COMPLEX) throw ctx.fail("cannot cast to " + to);
        if (from == DType.STRING && to != DType.STRING && !to.isFloat() && !to.isInteger() && to != DType.BOOL) {
            throw ctx.fail("cannot cast string to " + to);
        }
    }

    /** The element type named by the {@code to} attribute: a TensorProto type code, or (Cast-1) its enum name. */
    private static DType castTarget(InferenceContext ctx) {
        Attribute to = ctx.attr("to");
        if (to == null) throw ctx.fail("attribute 'to' is required");
        try {
            if (to.kind() == Attribute.Kind.STRING) {
                int code = LEGACY_TYPE_NAMES.indexOf(to.asString().toUpperCase(java.util.Locale.ROOT));
                if (code <= 0) throw ctx.fail("unknown type name '" + to.asString() + "' in 'to'");
                return DType.fromOnnxCode(code);
            }
            return DType.fromOnnxCode((int) to.asInt());
        } catch (IllegalArgumentException e) {
            throw ctx.fail("'to' names no element type: " + e.getMessage());
        }
    }

    private static List<ValueType> dropout(InferenceContext ctx) {
        DType t = ElementwiseInference.checkedDType(ctx, 0, FLOATS);
        if (ctx.hasInput(1) && !FLOATS.contains(ctx.inputDType(1))) throw ctx.fail("ratio must be a float scalar, got " + ctx.inputDType(1));
        if (ctx.hasInput(2)) ElementwiseInference.checkedDType(ctx, 2, BOOL);
        float ratio = ctx.attr("ratio").asFloat();
        if (ratio < 0 || ratio >= 1) throw ctx.fail("ratio must be in [0, 1), got " + ratio);
        List<ValueType> out = new ArrayList<>();
        out.add(ElementwiseInference.like(ctx, 0, t));
        // Dropout-10 made the mask boolean; before it the mask had the data's type.
        if (ctx.node().outputs().size() > 1) out.add(ElementwiseInference.like(ctx, 0, ctx.opset() >= 10 ? DType.BOOL : t));
        return out;
    }
}
