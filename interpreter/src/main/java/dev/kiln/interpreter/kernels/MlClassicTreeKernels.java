package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.kernels.MlClassicScores.Labels;
import dev.kiln.interpreter.kernels.MlClassicScores.Rows;
import dev.kiln.ir.tensor.RuntimeValue;

import java.util.List;

/**
 * ai.onnx.ml TreeEnsembleClassifier and TreeEnsembleRegressor: every tree routes a row to one leaf, whose votes add
 * weight to classes or targets; base_values are added after aggregation, then the post-transform.
 */
final class MlClassicTreeKernels {
    private MlClassicTreeKernels() {}

    private static void requireTargets(KernelContext ctx, long[] ids, long count, String what) {
        for (long id : ids) if (id < 0 || id >= count) throw ctx.fail(what + " " + id + " is outside [0, " + count + ")");
    }

    /** Binary classifiers: at most two labels and every vote for one class (the same rule as type inference). */
    private static boolean isBinary(long[] classIds, int classes) {
        if (classes > 2 || classIds.length == 0) return false;
        for (long id : classIds) if (id != classIds[0]) return false;
        return true;
    }

    /**
     * Class scores are base_values plus the summed weights of the leaves reached. A binary classifier (votes for one
     * class only) scores that class s and writes [1 - s, s] (NONE, PROBIT) or [-s, s] before the post-transform.
     * The label is that of the highest transformed score; a one-label binary model (label 1) answers 1 or 0.
     */
    static List<RuntimeValue> classifier(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        MlClassicForest forest = MlClassicForest.of(ctx, "class");
        Labels labels = Labels.of(ctx, "classlabels_int64s", "classlabels_strings");
        int classes = labels.count();
        if (classes == 0) throw ctx.fail("one of classlabels_int64s and classlabels_strings is required");
        requireTargets(ctx, forest.voteTargets, classes, "class id");
        boolean binary = isBinary(forest.voteTargets, classes);
        if (binary && classes == 1 && (labels.strings() != null || labels.ints()[0] != 1)) {
            throw ctx.fail("a classifier with one class label needs the int64 label 1, got " + labels.at(0));
        }
        double[] base = MlClassicForest.either(ctx, "base_values");
        if (base.length != 0 && base.length != classes && !(binary && base.length == 1)) {
            throw ctx.fail("base_values must have one entry per class (" + classes + "), got " + base.length);
        }
        String post = ctx.stringAttr("post_transform", "NONE");
        int columns = binary ? 2 : classes;
        double[] scores = new double[x.rows() * columns];
        Object[] predicted = new Object[x.rows()];
        for (int r = 0; r < x.rows(); r++) {
            double[] sums = new double[classes];
            for (int c = 0; c < classes; c++) sums[c] = base.length == 0 ? 0 : base[base.length == 1 ? 0 : c];
            for (int tree = 0; tree < forest.treeCount(); tree++) {
                for (int k : forest.votes(forest.leaf(ctx, tree, x.data(), r * x.features(), x.features()))) {
                    sums[(int) forest.voteTargets[k]] += forest.voteWeights[k];
                }
            }
            double[] row = sums;
            if (binary) {
                double s = sums[(int) forest.voteTargets[0]];
                row = post.equals("NONE") || post.equals("PROBIT") ? new double[] {1 - s, s} : new double[] {-s, s};
            }
            MlClassicScores.transform(ctx, post, row);
            int best = MlClassicScores.argmax(row);
            predicted[r] = classes == 1 && binary ? (Object) (long) best : labels.at(best);
            System.arraycopy(row, 0, scores, r * columns, columns);
        }
        return List.of(labels.tensor(predicted), MlClassicScores.scores(x.rows(), columns, scores));
    }

    /**
     * Each target aggregates the weights of the leaves that vote for it (SUM, AVERAGE over all trees, MIN, MAX; a
     * target no leaf votes for stays 0), then adds its base value and goes through the post-transform.
     */
    static List<RuntimeValue> regressor(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        MlClassicForest forest = MlClassicForest.of(ctx, "target");
        long targetAttr = ctx.intAttr("n_targets", 0);
        if (targetAttr < 1) throw ctx.fail("n_targets must be set and positive, got " + targetAttr);
        int targets = (int) targetAttr;
        requireTargets(ctx, forest.voteTargets, targets, "target id");
        double[] base = MlClassicForest.either(ctx, "base_values");
        if (base.length != 0 && base.length != targets) {
            throw ctx.fail("base_values must have one entry per target (" + targets + "), got " + base.length);
        }
        String aggregate = ctx.stringAttr("aggregate_function", "SUM");
        if (!List.of("SUM", "AVERAGE", "MIN", "MAX").contains(aggregate)) throw ctx.fail("unknown aggregate_function '" + aggregate + "'");
        String post = ctx.stringAttr("post_transform", "NONE");
        double[] out = new double[x.rows() * targets];
        for (int r = 0; r < x.rows(); r++) {
            double[] acc = new double[targets];
            boolean[] voted = new boolean[targets];
            for (int tree = 0; tree < forest.treeCount(); tree++) {
                for (int k : forest.votes(forest.leaf(ctx, tree, x.data(), r * x.features(), x.features()))) {
                    int t = (int) forest.voteTargets[k];
                    double w = forest.voteWeights[k];
                    acc[t] = !voted[t] ? w : switch (aggregate) {
                        case "MIN" -> Math.min(acc[t], w);
                        case "MAX" -> Math.max(acc[t], w);
                        default -> acc[t] + w;
                    };
                    voted[t] = true;
                }
            }
            for (int t = 0; t < targets; t++) {
                if (aggregate.equals("AVERAGE")) acc[t] /= forest.treeCount();
                if (base.length > 0) acc[t] += base[t];
            }
            MlClassicScores.transform(ctx, post, acc);
            System.arraycopy(acc, 0, out, r * targets, targets);
        }
        return List.of(MlClassicScores.scores(x.rows(), targets, out));
    }
}
