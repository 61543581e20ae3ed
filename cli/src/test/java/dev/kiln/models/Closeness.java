package dev.kiln.models;

import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares Kiln's output with a framework's. An element passes when {@code |actual - expected| <= 1e-4 * max(1,
 * |expected|)}: an absolute bound of 1e-4 for values up to magnitude 1 and a relative one of 1e-4 beyond, since
 * float32 results that differ only in summation order drift in proportion to their magnitude.
 */
final class Closeness {
    static final double TOLERANCE = 1e-4;

    private Closeness() {}

    /**
     * Fails unless dtype, shape and every element match; returns a one-line summary naming the largest absolute
     * deviation, and the failure message names the element furthest outside its tolerance.
     */
    static String assertClose(String what, Tensor expected, Tensor actual) {
        if (actual == null) fail(what + ": Kiln produced no such output");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(),
                what + ": shape " + Shape.format(actual.shape()) + ", expected " + Shape.format(expected.shape()));
        int largest = -1;
        int worst = -1;
        double largestDiff = 0;
        double worstExcess = 1;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            double diff = Double.compare(e, a) == 0 ? 0 : Math.abs(a - e);
            if (Double.isNaN(diff)) diff = Double.POSITIVE_INFINITY;
            if (largest < 0 || diff > largestDiff) {
                largest = i;
                largestDiff = diff;
            }
            double excess = diff / (TOLERANCE * Math.max(1, Math.abs(e)));
            if (excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
        }
        String summary = what + ": largest deviation " + (largest < 0 ? "none (empty)" : describe(expected, actual, largest));
        if (worst >= 0) {
            fail(what + ": " + describe(expected, actual, worst) + " is outside 1e-4 * max(1, |expected|); " + summary);
        }
        return summary;
    }

    private static String describe(Tensor expected, Tensor actual, int flat) {
        double e = expected.getDouble(flat);
        double a = actual.getDouble(flat);
        return String.format("%.3g at %s (expected %.9g, got %.9g)", Math.abs(a - e), coordinates(expected.shape(), flat), e, a);
    }

    private static String coordinates(long[] shape, int flat) {
        long[] at = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Shape.format(at);
    }
}
