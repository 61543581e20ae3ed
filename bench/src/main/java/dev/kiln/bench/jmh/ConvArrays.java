package dev.kiln.bench.jmh;

/**
 * The arrays of a 3×3 convolution benchmark's shape state: input {@code x[c×s×s]} and weights {@code w}, seeded, and
 * the baseline's output {@code y[c×s×s]}. The shape states add their own {@code @Param} defaults.
 */
abstract class ConvArrays {
    float[] x;
    float[] w;
    float[] y;

    /** Fills the arrays for {@code c} channels of {@code s×s} and {@code weights} weights, from {@code seed}. */
    void fill(int c, int s, int weights, long seed) {
        x = Inputs.uniform(c * s * s, seed);
        w = Inputs.uniform(weights, seed + 1);
        y = new float[c * s * s];
    }
}
