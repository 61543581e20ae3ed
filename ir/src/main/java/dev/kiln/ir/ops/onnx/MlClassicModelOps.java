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

import java.util.List;

import static dev.kiln.ir.ops.onnx.MlClassicInference.floats;
import static dev.kiln.ir.ops.onnx.MlClassicInference.length;

/**
 * The classic ai.onnx.ml models: LinearClassifier, LinearRegressor, SVMClassifier, SVMRegressor and the tree
 * ensembles (their schemas are in {@link MlClassicTreeOps}). Classifiers output labels [N] and scores [N, E].
 */
public final class MlClassicModelOps implements OpFamily {
    private static final String ML = MlOps.ML;

    @Override
    public List<OpSchema> schemas() {
        OpSchema.Builder linearClassifier = OpSchema.op(ML, "LinearClassifier").since(1).inputs(1).outputs(2)
                .attr(AttrSpec.required("coefficients", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("intercepts", Attribute.Kind.FLOATS))
                .attr(AttrSpec.withDefault("multi_class", Attribute.of(0L)));
        OpSchema.Builder linearRegressor = OpSchema.op(ML, "LinearRegressor").since(1).inputs(1).outputs(1)
                .attr(AttrSpec.optional("coefficients", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("intercepts", Attribute.Kind.FLOATS))
                .attr(AttrSpec.withDefault("targets", Attribute.of(1L)));
        OpSchema.Builder svmClassifier = OpSchema.op(ML, "SVMClassifier").since(1).inputs(1).outputs(2)
                .attr(AttrSpec.optional("prob_a", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("prob_b", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("vectors_per_class", Attribute.Kind.INTS));
        OpSchema.Builder svmRegressor = OpSchema.op(ML, "SVMRegressor").since(1).inputs(1).outputs(1)
                .attr(AttrSpec.withDefault("n_supports", Attribute.of(0L)))
                .attr(AttrSpec.withDefault("one_class", Attribute.of(0L)));
        for (OpSchema.Builder classifier : List.of(linearClassifier, svmClassifier)) {
            classifier.attr(AttrSpec.optional("classlabels_ints", Attribute.Kind.INTS))
                    .attr(AttrSpec.optional("classlabels_strings", Attribute.Kind.STRINGS));
        }
        for (OpSchema.Builder svm : List.of(svmClassifier, svmRegressor)) {
            svm.attr(AttrSpec.optional("coefficients", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.optional("kernel_params", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.withDefault("kernel_type", Attribute.of("LINEAR")))
                    .attr(AttrSpec.optional("rho", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.optional("support_vectors", Attribute.Kind.FLOATS));
        }
        for (OpSchema.Builder b : List.of(linearClassifier, linearRegressor, svmClassifier, svmRegressor)) {
            b.attr(AttrSpec.withDefault("post_transform", Attribute.of("NONE")));
        }
        return List.of(linearClassifier.infer(MlClassicModelOps::inferLinearClassifier),
                linearRegressor.infer(MlClassicModelOps::inferLinearRegressor),
                svmClassifier.infer(MlClassicModelOps::inferSvmClassifier),
                svmRegressor.infer(MlClassicModelOps::inferSvmRegressor));
    }

    /** Rows of weights over F features in an attribute of {@code count} entries: count / F, or -1 when F is unknown. */
    private static long weightRows(InferenceContext ctx, String name, int count) {
        Dim f = MlClassicInference.features(ctx);
        if (!f.isStatic()) return -1;
        if (f.size() == 0 || count % f.size() != 0) {
            throw ctx.fail(name + " has " + count + " entries, not a multiple of the " + f.size() + " features");
        }
        return count / f.size();
    }

    private static Dim dimOrUnknown(long size) { return size < 0 ? Dim.UNKNOWN : Dim.of(size); }

    private static List<ValueType> classifierOutputs(InferenceContext ctx, Dim scores) {
        DType labels = MlClassicInference.labelType(ctx, "classlabels_ints", "classlabels_strings");
        Dim rows = MlClassicInference.rows(ctx);
        return List.of(new TensorType(labels, Shape.of(List.of(rows))), floats(rows, scores));
    }

    private static List<ValueType> inferLinearClassifier(InferenceContext ctx) {
        MlClassicInference.requireModelInput(ctx);
        MlClassicInference.postTransform(ctx);
        long classes = weightRows(ctx, "coefficients", length(ctx, "coefficients"));
        int labels = MlClassicInference.labelCount(ctx, "classlabels_ints", "classlabels_strings");
        int intercepts = length(ctx, "intercepts");
        if (classes > 0 && intercepts > 0 && intercepts != classes) {
            throw ctx.fail("intercepts has " + intercepts + " entries for " + classes + " coefficient rows");
        }
        if (classes > 1 && labels > 0 && labels != classes) {
            throw ctx.fail(labels + " class labels for " + classes + " coefficient rows");
        }
        // One row of coefficients with two labels is a binary model: scores [-s, s].
        long scores = classes == 1 && labels == 2 ? 2 : classes;
        return classifierOutputs(ctx, dimOrUnknown(scores));
    }

    private static List<ValueType> inferLinearRegressor(InferenceContext ctx) {
        MlClassicInference.requireModelInput(ctx);
        MlClassicInference.postTransform(ctx);
        long targets = ctx.intAttr("targets");
        if (targets < 1) throw ctx.fail("targets must be positive, got " + targets);
        long rows = weightRows(ctx, "coefficients", length(ctx, "coefficients"));
        if (rows >= 0 && rows != targets) throw ctx.fail("coefficients hold " + rows + " targets, attribute targets is " + targets);
        int intercepts = length(ctx, "intercepts");
        if (intercepts > 0 && intercepts != targets) throw ctx.fail("intercepts must have one entry per target (" + targets + ")");
        return InferenceContext.one(floats(MlClassicInference.rows(ctx), Dim.of(targets)));
    }

    private static void requireKernel(InferenceContext ctx) {
        MlClassicInference.requireOneOf(ctx, "kernel_type", List.of("LINEAR", "POLY", "RBF", "SIGMOID"));
        int params = length(ctx, "kernel_params");
        if (params != 0 && params != 3) throw ctx.fail("kernel_params must hold gamma, coef0 and degree, got " + params + " values");
        if (length(ctx, "rho") == 0) throw ctx.fail("attribute 'rho' is required");
    }

    private static List<ValueType> inferSvmClassifier(InferenceContext ctx) {
        MlClassicInference.requireModelInput(ctx);
        String post = MlClassicInference.postTransform(ctx);
        requireKernel(ctx);
        int classes = Math.max(MlClassicInference.labelCount(ctx, "classlabels_ints", "classlabels_strings"), 1);
        long[] perClass = ctx.intsAttr("vectors_per_class");
        long vectors = 0;
        for (long v : perClass == null ? new long[0] : perClass) vectors += v;
        int coefficients = length(ctx, "coefficients");
        int rho = length(ctx, "rho");
        int probA = length(ctx, "prob_a");
        if (probA != length(ctx, "prob_b")) throw ctx.fail("prob_a and prob_b must have the same length");
        long scores;
        if (vectors > 0) {
            if (perClass.length != classes) throw ctx.fail("vectors_per_class must have one entry per class (" + classes + ")");
            long svRows = weightRows(ctx, "support_vectors", length(ctx, "support_vectors"));
            if (svRows >= 0 && svRows != vectors) throw ctx.fail("support_vectors hold " + svRows + " vectors, vectors_per_class sum to " + vectors);
            if (coefficients != (classes - 1) * vectors) {
                throw ctx.fail("coefficients must hold " + (classes - 1) + " x " + vectors + " values, got " + coefficients);
            }
            int pairs = classes * (classes - 1) / 2;
            if (pairs == 0) throw ctx.fail("a support vector classifier needs at least 2 classes");
            if (rho != pairs) throw ctx.fail("rho must have one entry per class pair (" + pairs + "), got " + rho);
            if (probA > 0 && probA != pairs) throw ctx.fail("prob_a must have one entry per class pair (" + pairs + "), got " + probA);
            scores = probA > 0 ? classes : pairs;
        } else {
            long rows = weightRows(ctx, "coefficients", coefficients);
            if (rows >= 0 && rows != classes) throw ctx.fail("coefficients hold " + rows + " classes, expected " + classes);
            scores = classes;
        }
        // A single score of a binary model (one rho, two labels) is written as [-s, s], except under PROBIT.
        boolean binary = rho == 1 && MlClassicInference.labelCount(ctx, "classlabels_ints", "classlabels_strings") == 2;
        if (scores == 1 && binary && !post.equals("PROBIT")) scores = 2;
        return classifierOutputs(ctx, Dim.of(scores));
    }

    private static List<ValueType> inferSvmRegressor(InferenceContext ctx) {
        MlClassicInference.requireModelInput(ctx);
        MlClassicInference.postTransform(ctx);
        requireKernel(ctx);
        long supports = ctx.intAttr("n_supports");
        if (supports < 0) throw ctx.fail("n_supports must not be negative, got " + supports);
        int coefficients = length(ctx, "coefficients");
        if (supports > 0) {
            long svRows = weightRows(ctx, "support_vectors", length(ctx, "support_vectors"));
            if (svRows >= 0 && svRows != supports) throw ctx.fail("support_vectors hold " + svRows + " vectors, n_supports is " + supports);
            if (coefficients != supports) throw ctx.fail("coefficients must have one entry per support vector (" + supports + ")");
        } else {
            long rows = weightRows(ctx, "coefficients", coefficients);
            if (rows >= 0 && rows != 1) throw ctx.fail("a linear SVM regressor takes one coefficient per feature");
        }
        return InferenceContext.one(floats(MlClassicInference.rows(ctx), Dim.of(1)));
    }
}
