package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.kernels.MlClassicScores.Labels;
import dev.kiln.interpreter.kernels.MlClassicScores.Rows;
import dev.kiln.ir.tensor.RuntimeValue;

import java.util.List;

/**
 * ai.onnx.ml SVMClassifier and SVMRegressor, as libsvm evaluates them. With support vectors the classifier is
 * one-vs-one: each class pair (i, j) scores rho + its dual coefficients times the kernel values of both classes'
 * vectors, and votes for i when positive; with prob_a/prob_b the pair scores become Platt probabilities coupled
 * into one probability per class. Without support vectors it is linear: one coefficient row per class.
 */
final class MlClassicSvmKernels {
    private static final double MIN_PROBABILITY = 1e-7;

    private MlClassicSvmKernels() {}

    /** The kernel function k(x, v) with its parameters gamma, coef0 and degree. */
    private record SvmKernel(String type, double gamma, double coef0, int degree) {
        static final SvmKernel LINEAR = new SvmKernel("LINEAR", 0, 0, 0);

        static SvmKernel of(KernelContext ctx) {
            String type = ctx.stringAttr("kernel_type", "LINEAR");
            if (!List.of("LINEAR", "POLY", "RBF", "SIGMOID").contains(type)) throw ctx.fail("unknown kernel_type '" + type + "'");
            float[] p = ctx.floatsAttr("kernel_params");
            if (p == null || p.length == 0) return new SvmKernel(type, 0, 0, 0);
            if (p.length != 3) throw ctx.fail("kernel_params must hold gamma, coef0 and degree, got " + p.length + " values");
            return new SvmKernel(type, p[0], p[1], (int) p[2]);
        }

        double apply(Rows x, int row, double[] v, int offset) {
            if (type.equals("RBF")) {
                double sum = 0;
                for (int f = 0; f < x.features(); f++) {
                    double d = x.data()[row * x.features() + f] - v[offset + f];
                    sum += d * d;
                }
                return Math.exp(-gamma * sum);
            }
            double dot = x.dot(row, v, offset);
            return switch (type) {
                case "POLY" -> Math.pow(gamma * dot + coef0, degree);
                case "SIGMOID" -> Math.tanh(gamma * dot + coef0);
                default -> dot;
            };
        }
    }

    private static double[] doubles(KernelContext ctx, String name) {
        float[] f = ctx.floatsAttr(name);
        double[] out = new double[f == null ? 0 : f.length];
        for (int i = 0; i < out.length; i++) out[i] = f[i];
        return out;
    }

    private static void requireLength(KernelContext ctx, String name, double[] values, long expected) {
        if (values.length != expected) throw ctx.fail(name + " must have " + expected + " entries, got " + values.length);
    }

    static List<RuntimeValue> svmClassifier(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        Labels labels = Labels.of(ctx, "classlabels_ints", "classlabels_strings");
        int classes = Math.max(labels.count(), 1);
        long[] perClass = ctx.intsAttr("vectors_per_class");
        int vectors = 0;
        for (long v : perClass == null ? new long[0] : perClass) vectors += (int) v;
        double[] coefficients = doubles(ctx, "coefficients");
        double[] rho = doubles(ctx, "rho");
        double[] probA = doubles(ctx, "prob_a");
        double[] probB = doubles(ctx, "prob_b");
        boolean svc = vectors > 0;
        int pairs = classes * (classes - 1) / 2;
        double[] supportVectors = doubles(ctx, "support_vectors");
        if (svc) {
            if (perClass.length != classes) throw ctx.fail("vectors_per_class must have one entry per class (" + classes + ")");
            if (pairs == 0) throw ctx.fail("a support vector classifier needs at least 2 classes");
            requireLength(ctx, "support_vectors", supportVectors, (long) vectors * x.features());
            requireLength(ctx, "coefficients", coefficients, (long) (classes - 1) * vectors);
            requireLength(ctx, "rho", rho, pairs);
            if (probA.length > 0) requireLength(ctx, "prob_a", probA, pairs);
            requireLength(ctx, "prob_b", probB, probA.length);
        } else {
            requireLength(ctx, "coefficients", coefficients, (long) classes * x.features());
            if (rho.length == 0) throw ctx.fail("attribute 'rho' is required");
        }
        SvmKernel kernel = svc ? SvmKernel.of(ctx) : SvmKernel.LINEAR;
        boolean probabilities = svc && probA.length > 0;
        boolean allPositive = true;
        for (double c : coefficients) allPositive &= c >= 0;
        String post = ctx.stringAttr("post_transform", "NONE");

        boolean binary = rho.length == 1 && labels.count() == 2;
        int scoreCount = svc && !probabilities ? pairs : classes;
        int columns = scoreCount >= 2 || post.equals("PROBIT") || !binary ? scoreCount : 2;
        Object[] predicted = new Object[x.rows()];
        double[] flat = new double[x.rows() * columns];
        for (int r = 0; r < x.rows(); r++) {
            double[] scores;
            double[] votes = null;
            if (svc) {
                votes = new double[classes];
                scores = oneVsOne(x, r, kernel, supportVectors, coefficients, rho, perClass, votes);
                if (probabilities) scores = probabilities(scores, probA, probB, classes);
            } else {
                scores = new double[classes];
                for (int c = 0; c < classes; c++) scores[c] = rho[0] + x.dot(r, coefficients, c * x.features());
            }
            double[] decided = votes != null ? votes : scores;
            int best = MlClassicScores.argmax(decided);
            if (binary) {
                predicted[r] = labels.at(!probabilities && allPositive && decided[best] >= 0.5 ? 1 : best);
            } else if (rho.length == 1) {
                predicted[r] = yesNo(ctx, labels, decided[best] > 0);
            } else {
                predicted[r] = labels.at(best);
            }
            System.arraycopy(writeScores(ctx, scores, post, binary), 0, flat, r * columns, columns);
        }
        return List.of(labels.tensor(predicted), MlClassicScores.scores(x.rows(), columns, flat));
    }

    /** Pairwise scores rho_p + sum over both classes' vectors of coefficient * k(x, v), counting votes. */
    private static double[] oneVsOne(Rows x, int r, SvmKernel kernel, double[] supportVectors, double[] coefficients,
                                     double[] rho, long[] perClass, double[] votes) {
        int classes = perClass.length;
        int vectors = coefficients.length / (classes - 1);
        double[] k = new double[vectors];
        for (int v = 0; v < vectors; v++) k[v] = kernel.apply(x, r, supportVectors, v * x.features());
        int[] start = new int[classes];
        for (int c = 1; c < classes; c++) start[c] = start[c - 1] + (int) perClass[c - 1];
        double[] scores = new double[classes * (classes - 1) / 2];
        int pair = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++, pair++) {
                double s = rho[pair];
                for (int v = start[i]; v < start[i] + perClass[i]; v++) s += coefficients[(j - 1) * vectors + v] * k[v];
                for (int v = start[j]; v < start[j] + perClass[j]; v++) s += coefficients[i * vectors + v] * k[v];
                scores[pair] = s;
                votes[s > 0 ? i : j]++;
            }
        }
        return scores;
    }

    /**
     * Class probabilities from pairwise scores: Platt's sigmoid 1 / (1 + e^(s*A + B)) gives P(i over j) per pair,
     * kept within [1e-7, 1 - 1e-7], and libsvm's pairwise coupling (Wu, Lin and Weng 2004, method 2) combines them.
     */
    private static double[] probabilities(double[] pairScores, double[] probA, double[] probB, int classes) {
        double[][] pairwise = new double[classes][classes];
        int pair = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++, pair++) {
                double p = 1 - MlClassicScores.logistic(pairScores[pair] * probA[pair] + probB[pair]);
                p = Math.min(Math.max(p, MIN_PROBABILITY), 1 - MIN_PROBABILITY);
                pairwise[i][j] = p;
                pairwise[j][i] = 1 - p;
            }
        }
        return couple(pairwise);
    }

    /**
     * libsvm's multiclass_probability: the p minimizing sum over pairs of (r_ji p_i - r_ij p_j)^2 with sum p = 1, by
     * its fixed-point iteration (at most max(100, k) rounds, stopping at error 0.005 / k), so results match libsvm's.
     */
    private static double[] couple(double[][] r) {
        int k = r.length;
        double[][] q = new double[k][k];
        double[] p = new double[k];
        for (int t = 0; t < k; t++) {
            p[t] = 1.0 / k;
            for (int j = 0; j < k; j++) {
                if (j == t) continue;
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = -r[j][t] * r[t][j];
            }
        }
        double[] qp = new double[k];
        double eps = 0.005 / k;
        for (int iteration = 0; iteration < Math.max(100, k); iteration++) {
            double pqp = 0;
            for (int t = 0; t < k; t++) {
                qp[t] = 0;
                for (int j = 0; j < k; j++) qp[t] += q[t][j] * p[j];
                pqp += p[t] * qp[t];
            }
            double maxError = 0;
            for (int t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(qp[t] - pqp));
            if (maxError < eps) break;
            for (int t = 0; t < k; t++) {
                double diff = (-qp[t] + pqp) / q[t][t];
                p[t] += diff;
                pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (int j = 0; j < k; j++) {
                    qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
                    p[j] /= 1 + diff;
                }
            }
        }
        return p;
    }

    /** A label decided by sign alone (one rho, not two labels): 1 or 0, or string label 1 or 0. */
    private static Object yesNo(KernelContext ctx, Labels labels, boolean positive) {
        int choice = positive ? 1 : 0;
        if (labels.strings() == null) return (long) choice;
        if (choice >= labels.count()) throw ctx.fail("no string label for decision " + choice + " among " + labels.count());
        return labels.at(choice);
    }

    /**
     * The scores output of one row: several scores are post-transformed; a single score of a binary model becomes
     * [-s, s] (transformed as a pair; PROBIT keeps one column); any other single score is written as is.
     */
    private static double[] writeScores(KernelContext ctx, double[] scores, String post, boolean binary) {
        if (scores.length >= 2) {
            MlClassicScores.transform(ctx, post, scores);
            return scores;
        }
        if (post.equals("PROBIT")) return new double[] {MlClassicScores.probit(scores[0])};
        if (!binary) return scores;
        double[] pair = {-scores[0], scores[0]};
        MlClassicScores.transform(ctx, post, pair);
        return pair;
    }

    /** Y [N, 1]: sum of coefficient * k(x, v) over support vectors (or x . coefficients) plus rho; +-1 for one-class. */
    static List<RuntimeValue> svmRegressor(KernelContext ctx) {
        Rows x = Rows.of(ctx);
        long supports = ctx.intAttr("n_supports", 0);
        double[] coefficients = doubles(ctx, "coefficients");
        double[] rho = doubles(ctx, "rho");
        double[] supportVectors = doubles(ctx, "support_vectors");
        if (rho.length == 0) throw ctx.fail("attribute 'rho' is required");
        if (supports > 0) {
            requireLength(ctx, "support_vectors", supportVectors, supports * x.features());
            requireLength(ctx, "coefficients", coefficients, supports);
        } else {
            requireLength(ctx, "coefficients", coefficients, x.features());
        }
        SvmKernel kernel = supports > 0 ? SvmKernel.of(ctx) : SvmKernel.LINEAR;
        boolean oneClass = ctx.intAttr("one_class", 0) != 0;
        String post = ctx.stringAttr("post_transform", "NONE");
        double[] out = new double[x.rows()];
        for (int r = 0; r < x.rows(); r++) {
            double s = rho[0];
            if (supports > 0) {
                for (int v = 0; v < supports; v++) s += coefficients[v] * kernel.apply(x, r, supportVectors, v * x.features());
            } else {
                s += x.dot(r, coefficients, 0);
            }
            double[] row = {oneClass ? (s > 0 ? 1 : -1) : s};
            MlClassicScores.transform(ctx, post, row);
            out[r] = row[0];
        }
        return List.of(MlClassicScores.scores(x.rows(), 1, out));
    }
}
