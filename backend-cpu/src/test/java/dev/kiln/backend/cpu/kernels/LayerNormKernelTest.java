package dev.kiln.backend.cpu.kernels;

import static dev.kiln.backend.cpu.kernels.KernelTestData.OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer normalization against a scalar double-precision twin, with and without bias, in and out of place. */
class LayerNormKernelTest {
    private static final int ROWS = 3;
    private static final float EPSILON = 1e-5f;

    /** The scalar twin: ONNX LayerNormalization's formula in double. */
    private static double[] normalizeRow(float[] xs, int from, int n, float[] scale, float[] bias) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += xs[from + i];
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++) variance += (xs[from + i] - mean) * (xs[from + i] - mean);
        variance /= n;
        double invStd = 1 / Math.sqrt(variance + EPSILON);
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            ys[i] = (xs[from + i] - mean) * invStd * scale[i] + (bias == null ? 0 : bias[i]);
        }
        return ys;
    }

    private static void check(VectorSpecies<Float> species, int n, boolean withBias, boolean inPlace) {
        // Rows far from zero relative to their spread: the mean must not swallow the deviations.
        float[] xs = KernelTestData.gaussian(n, ROWS * n, 100f, 2f);
        float[] scale = KernelTestData.gaussian(n + 1, n, 1f, 0.5f);
        float[] bias = withBias ? KernelTestData.gaussian(n + 2, n, 0f, 1f) : null;
        LayerNormKernel kernel = new LayerNormKernel(species);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = KernelTestData.segment(arena, xs);
            MemorySegment dst = inPlace ? src : KernelTestData.segment(arena, new float[xs.length]);
            MemorySegment biasSegment = withBias ? KernelTestData.segment(arena, bias) : null;
            kernel.normalize(src, OFFSET, KernelTestData.segment(arena, scale), OFFSET, biasSegment, OFFSET,
                    dst, OFFSET, ROWS, n, EPSILON);
            float[] got = KernelTestData.read(dst, xs.length);
            for (int r = 0; r < ROWS; r++) {
                double[] want = normalizeRow(xs, r * n, n, scale, bias);
                for (int i = 0; i < n; i++) {
                    // Relative to the value, plus an absolute part on the unit scale of (x - mean) / std: the float
                    // sums of the mean and variance over a row of 1000 leave a few ulp of 1 there.
                    double tolerance = 1e-7 + 2e-6 * Math.abs(want[i]) + 8e-7 * Math.abs(scale[i]);
                    assertEquals(want[i], got[r * n + i], tolerance, "row " + r + " element " + i + " of " + n);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void matchesTheTwinWithBias(VectorSpecies<Float> species, int n) {
        check(species, n, true, false);
        check(species, n, true, true);
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void matchesTheTwinWithoutBias(VectorSpecies<Float> species, int n) {
        check(species, n, false, false);
        check(species, n, false, true);
    }
}
