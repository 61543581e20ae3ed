package dev.kiln.backend.cpu.kernels;

import static dev.kiln.backend.cpu.kernels.KernelTestData.OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.cpu.math.MathFunction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every element, vector body and scalar tail alike, equals the scalar twin; out of place and in place. */
class UnaryMathKernelTest {
    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void everyElementMatchesTheScalarTwin(VectorSpecies<Float> species, int n) {
        float[] xs = KernelTestData.gaussian(n, n, 0.5f, 4f);
        xs[0] = -xs[0]; // log sees a negative input too
        for (MathFunction function : MathFunction.values()) {
            UnaryMathKernel kernel = new UnaryMathKernel(species, function);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment src = KernelTestData.segment(arena, xs);
                MemorySegment dst = KernelTestData.segment(arena, new float[n]);
                kernel.apply(src, OFFSET, dst, OFFSET, n);
                kernel.apply(src, OFFSET, src, OFFSET, n);
                float[] outOfPlace = KernelTestData.read(dst, n);
                float[] inPlace = KernelTestData.read(src, n);
                for (int i = 0; i < n; i++) {
                    float want = function.apply(xs[i]);
                    assertEquals(want, outOfPlace[i], function + "(" + xs[i] + ") at " + i);
                    assertEquals(want, inPlace[i], function + "(" + xs[i] + ") in place at " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("dev.kiln.backend.cpu.kernels.KernelTestData#lengthsAtBothSpecies")
    void inPlaceTanhFollowsTheDoubleReference(VectorSpecies<Float> species, int n) {
        float[] xs = KernelTestData.gaussian(n + 1, n, 0f, 3f);
        UnaryMathKernel kernel = new UnaryMathKernel(species, MathFunction.TANH);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = KernelTestData.segment(arena, xs);
            kernel.apply(segment, OFFSET, segment, OFFSET, n);
            float[] ys = KernelTestData.read(segment, n);
            for (int i = 0; i < n; i++) assertEquals(StrictMath.tanh(xs[i]), ys[i], 2e-7, "tanh(" + xs[i] + ")");
        }
    }
}
