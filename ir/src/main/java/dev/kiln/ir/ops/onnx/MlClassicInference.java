package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ops.InferenceContext;

import java.util.List;
import java.util.Set;

/** Attribute checks and shapes shared by the schemas of the classic (scikit-learn style) ai.onnx.ml ops. */
final class MlClassicInference {
    static final Set<DType> NUMERIC = Set.of(DType.F32, DType.F64, DType.I64, DType.I32);
    static final List<String> POST_TRANSFORMS = List.of("NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT");

    private MlClassicInference() {}

    /** Fails unless the string attribute (or its default) is one of {@code allowed}; returns it. */
    static String requireOneOf(InferenceContext ctx, String name, List<String> allowed) {
        String value = ctx.stringAttr(name);
        if (!allowed.contains(value)) throw ctx.fail(name + " must be one of " + allowed + ", got '" + value + "'");
        return value;
    }

    static String postTransform(InferenceContext ctx) { return requireOneOf(ctx, "post_transform", POST_TRANSFORMS); }

    /** The rows of a model's input X, which is [N, F], or [F] for one row. */
    static Dim rows(InferenceContext ctx) {
        Shape x = ControlFamilyDims.requireRank(ctx, 0, 1, 2, "X");
        return x == null ? Dim.UNKNOWN : x.rank() == 1 ? Dim.of(1) : x.dim(0);
    }

    /** The features of X ([N, F] or [F]); unknown when X's rank is. */
    static Dim features(InferenceContext ctx) {
        Shape x = ControlFamilyDims.requireRank(ctx, 0, 1, 2, "X");
        return x == null ? Dim.UNKNOWN : x.dim(x.rank() - 1);
    }

    /** Validates X of a classic ML model op (numeric, [N, F] or [F]). */
    static void requireModelInput(InferenceContext ctx) {
        ControlFamilyDims.requireDType(ctx, 0, NUMERIC, "X");
        rows(ctx);
    }

    /** The number of entries of a list attribute (floats, ints or strings), 0 when absent. */
    static int length(InferenceContext ctx, String name) {
        Attribute a = ctx.attr(name);
        if (a == null) return 0;
        return switch (a.kind()) {
            case FLOATS -> a.asFloats().length;
            case INTS -> a.asInts().length;
            case STRINGS -> a.asStrings().size();
            case TENSOR -> a.asTensor().size();
            default -> throw ctx.fail(name + " must be a list attribute, got " + a.kind());
        };
    }

    /**
     * The element type of a classifier's labels: int64 for {@code intsName}, string for {@code stringsName}; int64
     * (class indexes) when neither is set. Setting both is an error.
     */
    static DType labelType(InferenceContext ctx, String intsName, String stringsName) {
        boolean ints = length(ctx, intsName) > 0;
        boolean strings = length(ctx, stringsName) > 0;
        if (ints && strings) throw ctx.fail("only one of " + intsName + " and " + stringsName + " may be set");
        return strings ? DType.STRING : DType.I64;
    }

    /** The number of class labels (of whichever labels attribute is set). */
    static int labelCount(InferenceContext ctx, String intsName, String stringsName) {
        return Math.max(length(ctx, intsName), length(ctx, stringsName));
    }

    /** Fails unless a per-feature attribute has 1 entry or one per feature (when the feature count is known). */
    static void requirePerFeature(InferenceContext ctx, String name, int length, Dim features) {
        if (length == 1 || !features.isStatic() || length == features.size()) return;
        throw ctx.fail(name + " must have 1 entry or one per feature (" + features.size() + "), got " + length);
    }

    static TensorType floats(Dim... dims) { return new TensorType(DType.F32, Shape.of(List.of(dims))); }
}
