package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;
import static dev.kiln.ir.ops.onnx.MlClassicInference.NUMERIC;
import static dev.kiln.ir.ops.onnx.MlClassicInference.length;

/**
 * The classic ai.onnx.ml feature transforms: Scaler, Normalizer, Imputer, OneHotEncoder, CategoryMapper and
 * FeatureVectorizer. The model ops (linear, SVM, tree ensembles) are in {@link MlClassicModelOps}.
 */
public final class MlClassicOps implements OpFamily {
    private static final String ML = MlOps.ML;

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op(ML, "Scaler").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.optional("offset", Attribute.Kind.FLOATS))
                        .attr(AttrSpec.optional("scale", Attribute.Kind.FLOATS)).infer(MlClassicOps::inferScaler),
                OpSchema.op(ML, "Normalizer").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("norm", Attribute.of("MAX"))).infer(MlClassicOps::inferNormalizer),
                OpSchema.op(ML, "Imputer").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.optional("imputed_value_floats", Attribute.Kind.FLOATS))
                        .attr(AttrSpec.optional("imputed_value_int64s", Attribute.Kind.INTS))
                        .attr(AttrSpec.withDefault("replaced_value_float", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("replaced_value_int64", Attribute.of(0L)))
                        .infer(MlClassicOps::inferImputer),
                OpSchema.op(ML, "OneHotEncoder").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.optional("cats_int64s", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("cats_strings", Attribute.Kind.STRINGS))
                        .attr(AttrSpec.withDefault("zeros", Attribute.of(1L))).infer(MlClassicOps::inferOneHot),
                OpSchema.op(ML, "CategoryMapper").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.optional("cats_int64s", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("cats_strings", Attribute.Kind.STRINGS))
                        .attr(AttrSpec.withDefault("default_int64", Attribute.of(-1L)))
                        .attr(AttrSpec.withDefault("default_string", Attribute.of("_Unused")))
                        .infer(MlClassicOps::inferCategoryMapper),
                OpSchema.op(ML, "FeatureVectorizer").since(1).inputs(1, Integer.MAX_VALUE).outputs(1)
                        .attr(AttrSpec.optional("inputdimensions", Attribute.Kind.INTS))
                        .infer(MlClassicOps::inferFeatureVectorizer));
    }

    /** The last axis of X, the one per-feature attributes index; unknown for scalars or unknown ranks. */
    private static Dim lastDim(Shape x) {
        return x.hasRank() && x.rank() > 0 ? x.dim(x.rank() - 1) : Dim.UNKNOWN;
    }

    private static List<ValueType> inferScaler(InferenceContext ctx) {
        requireDType(ctx, 0, NUMERIC, "X");
        int offsets = length(ctx, "offset");
        int scales = length(ctx, "scale");
        if (offsets == 0 || scales == 0) throw ctx.fail("attributes 'offset' and 'scale' are required");
        if (offsets != scales) throw ctx.fail("offset has " + offsets + " entries but scale has " + scales);
        MlClassicInference.requirePerFeature(ctx, "offset", offsets, lastDim(ctx.inputShape(0)));
        return InferenceContext.one(new TensorType(DType.F32, ctx.inputShape(0)));
    }

    private static List<ValueType> inferNormalizer(InferenceContext ctx) {
        requireDType(ctx, 0, NUMERIC, "X");
        MlClassicInference.requireOneOf(ctx, "norm", List.of("MAX", "L1", "L2"));
        ControlFamilyDims.requireRank(ctx, 0, 1, 2, "X");
        return InferenceContext.one(new TensorType(DType.F32, ctx.inputShape(0)));
    }

    private static List<ValueType> inferImputer(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, NUMERIC, "X");
        String values = t.isFloat() ? "imputed_value_floats" : "imputed_value_int64s";
        int count = length(ctx, values);
        if (count == 0) throw ctx.fail(values + " is required for " + t + " input");
        MlClassicInference.requirePerFeature(ctx, values, count, lastDim(ctx.inputShape(0)));
        return InferenceContext.one(ctx.input(0));
    }

    private static List<ValueType> inferOneHot(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, Set.of(DType.STRING, DType.I64, DType.I32, DType.F32, DType.F64), "X");
        String cats = t == DType.STRING ? "cats_strings" : "cats_int64s";
        String other = t == DType.STRING ? "cats_int64s" : "cats_strings";
        if (length(ctx, cats) == 0) throw ctx.fail(cats + " is required for " + t + " input");
        if (length(ctx, other) > 0) throw ctx.fail("only one of cats_int64s and cats_strings may be set");
        Shape x = ctx.inputShape(0);
        if (!x.hasRank()) return InferenceContext.one(new TensorType(DType.F32, Shape.UNKNOWN_RANK));
        List<Dim> dims = new ArrayList<>(x.dims());
        dims.add(Dim.of(length(ctx, cats)));
        return InferenceContext.one(new TensorType(DType.F32, Shape.of(dims)));
    }

    private static List<ValueType> inferCategoryMapper(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, Set.of(DType.STRING, DType.I64), "X");
        if (length(ctx, "cats_int64s") != length(ctx, "cats_strings")) {
            throw ctx.fail("cats_int64s and cats_strings must have the same length");
        }
        return InferenceContext.one(new TensorType(t == DType.STRING ? DType.I64 : DType.STRING, ctx.inputShape(0)));
    }

    private static List<ValueType> inferFeatureVectorizer(InferenceContext ctx) {
        DType first = requireDType(ctx, 0, NUMERIC, "X");
        for (int i = 1; i < ctx.inputCount(); i++) {
            if (ctx.inputDType(i) != first) throw ctx.fail("input " + i + " is " + ctx.inputDType(i) + ", input 0 is " + first);
        }
        long[] dims = ctx.intsAttr("inputdimensions");
        if (dims == null || dims.length != ctx.inputCount()) {
            throw ctx.fail("inputdimensions must have one entry per input (" + ctx.inputCount() + ")");
        }
        long total = 0;
        for (long d : dims) {
            if (d < 0) throw ctx.fail("inputdimensions must not be negative, got " + d);
            total = Math.addExact(total, d);
        }
        Shape x = ctx.inputShape(0);
        Dim rows = !x.hasRank() ? Dim.UNKNOWN : x.rank() <= 1 ? Dim.of(1) : x.dim(0);
        return InferenceContext.one(MlClassicInference.floats(rows, Dim.of(total)));
    }
}
