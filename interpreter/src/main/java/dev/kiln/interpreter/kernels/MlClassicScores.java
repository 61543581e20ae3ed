package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * What the classic ai.onnx.ml models share: reading X as rows of features, the score post-transforms (NONE,
 * SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT) applied to one row of scores, and the class labels of classifiers.
 */
final class MlClassicScores {
    private MlClassicScores() {}

    /** X as {@code rows} x {@code features} doubles; a 1D X is one row. */
    record Rows(double[] data, int rows, int features) {
        static Rows of(KernelContext ctx) {
            Tensor x = ctx.input(0);
            if (x.rank() != 1 && x.rank() != 2) throw ctx.fail("X must be [N, F] or [F], got rank " + x.rank());
            int rows = x.rank() == 1 ? 1 : (int) x.dim(0);
            return new Rows(x.toDoubles(), rows, (int) x.dim(x.rank() - 1));
        }

        double dot(int row, double[] weights, int offset) {
            double sum = 0;
            for (int f = 0; f < features; f++) sum += data[row * features + f] * weights[offset + f];
            return sum;
        }
    }

    /** Applies {@code post} to one row of scores in place. */
    static void transform(KernelContext ctx, String post, double[] row) {
        switch (post) {
            case "NONE" -> { }
            case "LOGISTIC" -> { for (int i = 0; i < row.length; i++) row[i] = logistic(row[i]); }
            case "SOFTMAX" -> softmax(row);
            case "SOFTMAX_ZERO" -> softmaxZero(row);
            case "PROBIT" -> { for (int i = 0; i < row.length; i++) row[i] = probit(row[i]); }
            default -> throw ctx.fail("unknown post_transform '" + post + "'");
        }
    }

    /** 1 / (1 + e^-v), computed without overflow for large |v|. */
    static double logistic(double v) {
        double e = Math.exp(-Math.abs(v));
        return v >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /** The standard normal quantile of p: sqrt(2) * erfinv(2p - 1). */
    static double probit(double p) { return Math.sqrt(2) * TreeEnsembleKernel.erfInv(2 * p - 1); }

    private static void softmax(double[] row) {
        SoftmaxKernels.normalize(row, row, 0, row.length, 1, SoftmaxKernels.Kind.SOFTMAX);
    }

    /** Softmax where (near-)zero scores stay (near-)zero: they mean "no vote", not e^0; all-zero rows become 0.5. */
    private static void softmaxZero(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) max = Math.max(max, v);
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.abs(row[i]) > 1e-7 ? Math.exp(row[i] - max) : row[i] * Math.exp(-max);
            sum += row[i];
        }
        for (int i = 0; i < row.length; i++) row[i] = sum == 0 ? 0.5 : row[i] / sum;
    }

    /** The index of the first largest entry. */
    static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /** Scores as the F32 [rows, columns] output. */
    static Tensor scores(int rows, int columns, double[] values) {
        return Tensor.ofDoubles(DType.F32, new long[] {rows, columns}, values);
    }

    /** A classifier's class labels: int64s or strings; with neither, labels are class indexes. */
    record Labels(long[] ints, List<String> strings) {
        static Labels of(KernelContext ctx, String intsName, String stringsName) {
            Attribute ints = ctx.attr(intsName);
            Attribute strings = ctx.attr(stringsName);
            if (strings != null && !strings.asStrings().isEmpty()) return new Labels(null, strings.asStrings());
            return new Labels(ints == null ? new long[0] : ints.asInts(), null);
        }

        int count() { return strings != null ? strings.size() : ints.length; }

        /** Label {@code index}; the index itself when there are no labels. */
        Object at(int index) {
            if (count() == 0) return (long) index;
            return strings != null ? strings.get(index) : (Object) ints[index];
        }

        /** The label of a negative binary decision that has no label of its own: 0, or the empty string. */
        Object none() { return strings != null ? "" : (Object) 0L; }

        Tensor tensor(Object[] values) {
            Tensor out = Tensor.zeros(strings != null ? DType.STRING : DType.I64, values.length);
            for (int i = 0; i < values.length; i++) {
                if (strings != null) out.setString(i, (String) values[i]);
                else out.setLong(i, (Long) values[i]);
            }
            return out;
        }
    }
}
