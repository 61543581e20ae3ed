package dev.kiln.bench.jmh;

import dev.kiln.ir.tensor.Tensor;

import java.util.SplittableRandom;

/** Benchmark inputs: seeded, so every run and every test sees the same numbers. */
public final class Inputs {
    private Inputs() {}

    /** {@code count} floats uniform in [-1, 1), from {@code seed}. */
    public static float[] uniform(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }

    /** A float tensor of {@code shape} holding {@code values} (row-major). */
    public static Tensor tensor(float[] values, long... shape) { return Tensor.ofFloats(shape, values); }
}
