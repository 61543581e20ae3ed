package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.kernels.MlClassicScores.Labels;
import dev.kiln.interpreter.kernels.MlClassicScores.Rows;
import dev.kiln.ir.tensor.RuntimeValue;

import java.util.List;

/** ai.onnx.ml LinearClassifier and LinearRegressor: one row of coefficients (and an intercept) per class or target. */
final class MlClassicLinearKernels {
    private MlClassicLinearKernels() {}

    /** The coefficients as rows of F weights, as doubles; fails unless they fill whole rows. */
    private static double[] coefficients(KernelContext ctx, Rows x) {
        float[] c = ctx.floatsAttr("coefficients");
        if (c == null || c.length == 0 || x.features() == 0 || c.length % x.features() != 0) {
            throw ctx.fail("coefficients must hold whole rows of " + x.features() + " weights, got "
                    + (c == null ? 0 : c.length));
        }
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) out[i] = c[i];
        return out;
    }

    private static double[] intercepts(KernelContext ctx, int rows) {
        float[] b = ctx.floatsAttr("intercepts");
        double[] out = new double[rows];
        if (b == null || b.length == 0) return out;
        if (b.length != rows) throw ctx.fail("intercepts has " + b.length + " entries for " + rows + " coefficient rows");
        for (int i = 0; i < rows; i++) out[i] = b[i];
        return out;
    }

    /** Rows of coefficients with their intercepts: one per class or target. */
    private record Weights(double[] w, double[] b, int count) {
        static Weights of(KernelContext ctx, Rows x) {
            double[] w = coefficients(ctx, x);
            int count = w.length / x.features();
            return new Weights(w, intercepts(ctx, count), count);
        }

        /** Row {@code r}'s scores x . coefficients^T + intercepts. */
        double[] scores(Rows x, int r) {
            double[] out = new double[count];
            for (int t = 0; t < count; t++) out[t] = x.dot(r, w, t * x.features()) + b[t];
            return out;
        }
    }

    /**
     * One score per class; a single row of coefficients with two labels is binary, scored [-s, s]. The label is the
     * class of the highest transformed score; a single remaining score is a yes/no decision at 0 (NONE) or 0.5.
     */
    static List<RuntimeValue> linearClassifier(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        Labels labels = Labels.of(ctx, "classlabels_ints", "classlabels_strings");
        String post = ctx.stringAttr("post_transform", "NONE");
        Weights weights = Weights.of(ctx, x);
        int classes = weights.count();
        if (classes > 1 && labels.count() > 0 && labels.count() != classes) {
            throw ctx.fail(labels.count() + " class labels for " + classes + " coefficient rows");
        }
        boolean binary = classes == 1 && labels.count() == 2;
        int columns = binary ? 2 : classes;
        double[] scores = new double[x.rows() * columns];
        Object[] predicted = new Object[x.rows()];
        for (int r = 0; r < x.rows(); r++) {
            double[] row = weights.scores(x, r);
            if (binary) row = new double[] {-row[0], row[0]};
            MlClassicScores.transform(ctx, post, row);
            if (columns > 1) {
                predicted[r] = labels.at(MlClassicScores.argmax(row));
            } else {
                boolean positive = row[0] >= (post.equals("NONE") ? 0 : 0.5);
                predicted[r] = !positive ? labels.none() : labels.count() == 0 ? (Object) 1L : labels.at(0);
            }
            System.arraycopy(row, 0, scores, r * columns, columns);
        }
        return List.of(labels.tensor(predicted), MlClassicScores.scores(x.rows(), columns, scores));
    }

    /** Y [N, targets] = X . coefficients^T + intercepts, then the post-transform over each row's targets. */
    static List<RuntimeValue> linearRegressor(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        long targets = ctx.intAttr("targets", 1);
        Weights weights = Weights.of(ctx, x);
        if (weights.count() != targets) throw ctx.fail("coefficients hold " + weights.count() + " targets, attribute targets is " + targets);
        String post = ctx.stringAttr("post_transform", "NONE");
        double[] out = new double[x.rows() * (int) targets];
        for (int r = 0; r < x.rows(); r++) {
            double[] row = weights.scores(x, r);
            MlClassicScores.transform(ctx, post, row);
            System.arraycopy(row, 0, out, r * (int) targets, (int) targets);
        }
        return List.of(MlClassicScores.scores(x.rows(), (int) targets, out));
    }
}
