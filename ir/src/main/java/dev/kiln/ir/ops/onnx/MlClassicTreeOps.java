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
 * ai.onnx.ml TreeEnsembleClassifier and TreeEnsembleRegressor (opsets 1 and 3; 3 adds the double-precision
 * {@code *_as_tensor} attributes). Nodes are tuples across the {@code nodes_*} lists, leaf votes tuples across the
 * {@code class_*} / {@code target_*} lists.
 */
public final class MlClassicTreeOps implements OpFamily {
    private static final List<String> NODE_MODES = List.of("BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ",
            "BRANCH_NEQ", "LEAF");
    private static final List<String> NODE_INTS = List.of("nodes_featureids", "nodes_treeids", "nodes_truenodeids",
            "nodes_falsenodeids");

    @Override
    public List<OpSchema> schemas() {
        OpSchema.Builder classifier = OpSchema.op(MlOps.ML, "TreeEnsembleClassifier").since(1).inputs(1).outputs(2)
                .attr(AttrSpec.optional("classlabels_int64s", Attribute.Kind.INTS))
                .attr(AttrSpec.optional("classlabels_strings", Attribute.Kind.STRINGS));
        OpSchema.Builder regressor = OpSchema.op(MlOps.ML, "TreeEnsembleRegressor").since(1).inputs(1).outputs(1)
                .attr(AttrSpec.withDefault("aggregate_function", Attribute.of("SUM")))
                .attr(AttrSpec.optional("n_targets", Attribute.Kind.INT));
        votes(classifier, "class");
        votes(regressor, "target");
        for (OpSchema.Builder b : List.of(classifier, regressor)) {
            for (String ints : List.of("nodes_nodeids", "nodes_featureids", "nodes_treeids", "nodes_truenodeids",
                    "nodes_falsenodeids", "nodes_missing_value_tracks_true")) {
                b.attr(AttrSpec.optional(ints, Attribute.Kind.INTS));
            }
            b.attr(AttrSpec.optional("nodes_modes", Attribute.Kind.STRINGS))
                    .attr(AttrSpec.optional("nodes_values", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.optional("nodes_values_as_tensor", Attribute.Kind.TENSOR))
                    .attr(AttrSpec.optional("nodes_hitrates", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.optional("nodes_hitrates_as_tensor", Attribute.Kind.TENSOR))
                    .attr(AttrSpec.optional("base_values", Attribute.Kind.FLOATS))
                    .attr(AttrSpec.optional("base_values_as_tensor", Attribute.Kind.TENSOR))
                    .attr(AttrSpec.withDefault("post_transform", Attribute.of("NONE")));
        }
        return List.of(classifier.infer(MlClassicTreeOps::inferClassifier), regressor.infer(MlClassicTreeOps::inferRegressor));
    }

    private static void votes(OpSchema.Builder b, String prefix) {
        b.attr(AttrSpec.optional(prefix + "_ids", Attribute.Kind.INTS))
                .attr(AttrSpec.optional(prefix + "_nodeids", Attribute.Kind.INTS))
                .attr(AttrSpec.optional(prefix + "_treeids", Attribute.Kind.INTS))
                .attr(AttrSpec.optional(prefix + "_weights", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional(prefix + "_weights_as_tensor", Attribute.Kind.TENSOR));
    }

    /** The length of a float list given either as {@code name} or as {@code name_as_tensor} (not both). */
    private static int eitherLength(InferenceContext ctx, String name) {
        boolean floats = ctx.hasAttr(name);
        boolean tensor = ctx.hasAttr(name + "_as_tensor");
        if (floats && tensor) throw ctx.fail("only one of " + name + " and " + name + "_as_tensor may be set");
        return length(ctx, tensor ? name + "_as_tensor" : name);
    }

    /** Checks the node and vote lists; returns the vote targets (class_ids / target_ids). */
    private static long[] checkTrees(InferenceContext ctx, String votePrefix, long targets) {
        MlClassicInference.requireModelInput(ctx);
        MlClassicInference.postTransform(ctx);
        int nodes = length(ctx, "nodes_nodeids");
        if (nodes == 0) throw ctx.fail("nodes_nodeids is required (no trees)");
        for (String a : NODE_INTS) {
            if (length(ctx, a) != nodes) throw ctx.fail(a + " must have one entry per node (" + nodes + ")");
        }
        if (eitherLength(ctx, "nodes_values") != nodes) throw ctx.fail("nodes_values must have one entry per node (" + nodes + ")");
        int missing = length(ctx, "nodes_missing_value_tracks_true");
        if (missing != 0 && missing != nodes) throw ctx.fail("nodes_missing_value_tracks_true must have one entry per node (" + nodes + ")");
        Attribute modes = ctx.attr("nodes_modes");
        if (modes == null || modes.asStrings().size() != nodes) throw ctx.fail("nodes_modes must have one entry per node (" + nodes + ")");
        for (String m : modes.asStrings()) {
            if (!NODE_MODES.contains(m)) throw ctx.fail("unknown node mode '" + m + "'; expected one of " + NODE_MODES);
        }
        int votes = length(ctx, votePrefix + "_ids");
        for (String a : List.of(votePrefix + "_nodeids", votePrefix + "_treeids")) {
            if (length(ctx, a) != votes) throw ctx.fail(a + " must have one entry per " + votePrefix + "_ids entry (" + votes + ")");
        }
        if (eitherLength(ctx, votePrefix + "_weights") != votes) {
            throw ctx.fail(votePrefix + "_weights must have one entry per " + votePrefix + "_ids entry (" + votes + ")");
        }
        long[] ids = votes == 0 ? new long[0] : ctx.intsAttr(votePrefix + "_ids");
        for (long id : ids) {
            if (id < 0 || id >= targets) throw ctx.fail(votePrefix + "_ids entry " + id + " is outside [0, " + targets + ")");
        }
        eitherLength(ctx, "nodes_hitrates");
        return ids;
    }

    private static List<ValueType> inferClassifier(InferenceContext ctx) {
        DType labels = MlClassicInference.labelType(ctx, "classlabels_int64s", "classlabels_strings");
        int classes = MlClassicInference.labelCount(ctx, "classlabels_int64s", "classlabels_strings");
        if (classes == 0) throw ctx.fail("one of classlabels_int64s and classlabels_strings is required");
        long[] ids = checkTrees(ctx, "class", classes);
        int base = eitherLength(ctx, "base_values");
        boolean binary = isBinary(ids, classes);
        if (base != 0 && base != classes && !(binary && base == 1)) {
            throw ctx.fail("base_values must have one entry per class (" + classes + "), got " + base);
        }
        Dim rows = MlClassicInference.rows(ctx);
        return List.of(new TensorType(labels, Shape.of(List.of(rows))), floats(rows, Dim.of(binary ? 2 : classes)));
    }

    /** Binary classifiers have at most two labels and every vote for one class; their scores are written as two columns. */
    private static boolean isBinary(long[] classIds, int classes) {
        if (classes > 2 || classIds.length == 0) return false;
        for (long id : classIds) if (id != classIds[0]) return false;
        return true;
    }

    private static List<ValueType> inferRegressor(InferenceContext ctx) {
        MlClassicInference.requireOneOf(ctx, "aggregate_function", List.of("AVERAGE", "SUM", "MIN", "MAX"));
        long targets = ctx.intAttr("n_targets", 0);
        if (targets < 1) throw ctx.fail("n_targets must be set and positive, got " + targets);
        checkTrees(ctx, "target", targets);
        int base = eitherLength(ctx, "base_values");
        if (base != 0 && base != targets) throw ctx.fail("base_values must have one entry per target (" + targets + "), got " + base);
        return InferenceContext.one(floats(MlClassicInference.rows(ctx), Dim.of(targets)));
    }
}
