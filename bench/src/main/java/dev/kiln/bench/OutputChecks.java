package dev.kiln.bench;

import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/** Comparisons of outputs, made outside the timed rounds: deviations between runtimes and top-1 accuracy. */
public final class OutputChecks {
    /** Outputs agree when every element is within {@code ATOL + RTOL·|expected|} (float32 kernels that order sums differently). */
    static final double ATOL = 1e-4;
    static final double RTOL = 1e-3;

    private OutputChecks() {}

    /** The largest absolute difference between same-named outputs; NaN when they share none. A NaN on one side only counts as infinite. */
    public static double maxDifference(Map<String, Tensor> actual, Map<String, Tensor> expected) {
        double max = Double.NaN;
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            Tensor b = e.getValue();
            if (a == null || !b.dtype().isFloat() && !b.dtype().isInteger()) continue;
            if (!Arrays.equals(a.shape(), b.shape())) return Double.POSITIVE_INFINITY;
            double m = 0;
            for (int i = 0; i < b.size(); i++) m = Math.max(m, difference(a.getDouble(i), b.getDouble(i)));
            max = Double.isNaN(max) ? m : Math.max(max, m);
        }
        return max;
    }

    /** Whether every shared output is within tolerance of {@code expected}. */
    public static boolean agree(Map<String, Tensor> actual, Map<String, Tensor> expected) {
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            Tensor b = e.getValue();
            if (a == null || !b.dtype().isFloat() && !b.dtype().isInteger()) continue;
            if (!Arrays.equals(a.shape(), b.shape())) return false;
            for (int i = 0; i < b.size(); i++) {
                double x = a.getDouble(i), y = b.getDouble(i);
                if (difference(x, y) > ATOL + RTOL * Math.abs(y)) return false;
            }
        }
        return true;
    }

    private static double difference(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) return 0;
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.POSITIVE_INFINITY;
        return a == b ? 0 : Math.abs(a - b);
    }

    /** How many rows of {@code scores} ([batch, classes]) have their largest score at the row's label. */
    public static int correct(Tensor scores, long[] labels) {
        if (scores.rank() != 2 || scores.dim(0) != labels.length) {
            throw new IllegalArgumentException("scores " + scores.type() + " do not match " + labels.length
                    + " labels: accuracy needs a [batch, classes] first output");
        }
        int classes = (int) scores.dim(1);
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores.getDouble(r * classes + c) > scores.getDouble(r * classes + best)) best = c;
            }
            if (best == labels[r]) correct++;
        }
        return correct;
    }
}
