package dev.kiln.backend.cpu.kernels;

import static dev.kiln.backend.cpu.kernels.KernelTestData.OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Softmax and log-softmax against a scalar double-precision twin, on odd row lengths and both species. */
class SoftmaxKernelTest {
    private static final int ROWS = 3;

    /** The scalar twin: the stable formula in double. */
    private static double[] softmaxRow(float[] xs, int from, int n, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, xs[from + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(xs[from + i] - max);
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            ys[i] = log ? xs[from + i] - max - Math.log(sum) : Math.exp(xs[from + i] - max) / sum;
        }
        return ys;
    }

    private static float max(float[] xs, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, xs[from + i]);
        return max;
    }

    private static void check(VectorSpecies<Float> species, int n, boolean log, boolean inPlace) {
        // Large logits with a wide spread: without the max shift e^x overflows.
        float[] xs = KernelTestData.gaussian(n, ROWS * n, 50f, 20f);
        SoftmaxKernel kernel = new SoftmaxKernel(species);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = KernelTestData.segment(arena, xs);
            MemorySegment dst = inPlace ? src : KernelTestData.segment(arena, new float[xs.length]);
            if (log) kernel.logSoftmax(src, OFFSET, dst, OFFSET, ROWS, n);
            else kernel.softmax(src, OFFSET, dst, OFFSET, ROWS, n);
            float[] got = KernelTestData.read(dst, xs.length);
            for (int r = 0; r < ROWS; r++) {
                double[] want = softmaxRow(xs, r * n, n, log);
                double rowSum = 0;
                for (int i = 0; i < n; i++) {
                    float y = got[r * n + i];
                    // softmax: relative to the value: exp 1 ulp, sum and scaling a few more, and the float
                    // rounding of x - max (half an ulp of it, which exp turns into a relative error);
                    // log-softmax: absolute, scaled by the magnitudes that were subtracted.
                    double shifted = Math.abs(xs[r * n + i] - max(xs, r * n, n));
                    double tolerance = log ? 4e-7 * (Math.abs(want[i]) + Math.abs(xs[r * n + i]))
                            : want[i] * (5e-7 + 6e-8 * shifted) + 1e-30;
                    assertEquals(want[i], y, tolerance, "row " + r + " element " + i + " of " + n);
                    rowSum += y;
                }
                if (!log) assertEquals(1, rowSum, 2e-6, "row " + r + " sums to 1");
            }
        }
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void softmaxMatchesTheTwin(VectorSpecies<Float> species, int n) {
        check(species, n, false, false);
        check(species, n, false, true);
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void logSoftmaxMatchesTheTwin(VectorSpecies<Float> species, int n) {
        check(species, n, true, false);
        check(species, n, true, true);
    }

    @Test
    void aRowOfNegativeInfinitiesGivesNaNAndLeavesTheNextRowAlone() {
        float inf = Float.NEGATIVE_INFINITY;
        float[] xs = {inf, inf, inf, 0f, 0f, 0f};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = KernelTestData.segment(arena, xs);
            new SoftmaxKernel(FloatVector.SPECIES_PREFERRED).softmax(segment, OFFSET, segment, OFFSET, 2, 3);
            float[] ys = KernelTestData.read(segment, 6);
            for (int i = 0; i < 3; i++) assertTrue(Float.isNaN(ys[i]), "element " + i);
            for (int i = 3; i < 6; i++) assertEquals(1f / 3, ys[i], 1e-7f);
        }
    }
}
