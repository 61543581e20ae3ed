package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every epilogue fused into the GEMM against the scalar formula, at every species and one and two threads. */
class FusedEpilogueTest {
    static final FusedEpilogue.Activation[] ACTIVATIONS = {
            FusedEpilogue.Activation.NONE, FusedEpilogue.Activation.RELU, new FusedEpilogue.Clip(-0.5f, 0.25f),
            new FusedEpilogue.LeakyRelu(0.1f)};

    @Test
    void biasActivationAndResidualMatchTheScalarTwin() {
        int m = 37, n = 45, k = 29;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment rowBias = Matrices.random(arena, 11, 2, m);
            MemorySegment colBias = Matrices.random(arena, 12, 1, n);
            MemorySegment residual = Matrices.random(arena, 13, 4, m * (n + 3));
            for (VectorSpecies<Float> s : GemmTest.species()) {
                for (int threads : new int[] {1, 2}) {
                    for (FusedEpilogue.Activation act : ACTIVATIONS) {
                        for (int variant = 0; variant < 5; variant++) {
                            FusedEpilogue.Bias bias = switch (variant) {
                                case 0 -> null;
                                case 1, 3 -> new FusedEpilogue.Bias(rowBias, 8, true);
                                default -> new FusedEpilogue.Bias(colBias, 4, false);
                            };
                            FusedEpilogue.Residual res = variant >= 3 ? new FusedEpilogue.Residual(residual, 16, n + 3) : null;
                            FusedEpilogue e = new FusedEpilogue(bias, act, res, variant == 3);
                            GemmTest.check(s.vectorBitSize(), threads, m, n, k, variant == 2, variant == 4, variant == 1, e, 1);
                        }
                    }
                }
            }
        }
    }

    /**
     * Bias per row and a clip, which the micro-kernel applies in registers: only after the last of several depth
     * blocks (k above every species' kc), with and without accumulating, without a bias, and on edge tiles.
     */
    @Test
    void epiloguesAppliedInRegistersWaitForTheLastDepthBlock() {
        int m = 13, n = 70, k = 1100;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment rowBias = Matrices.random(arena, 11, 2, m);
            for (VectorSpecies<Float> s : GemmTest.species()) {
                for (int threads : new int[] {1, 2}) {
                    for (int variant = 0; variant < 3; variant++) {
                        FusedEpilogue.Bias bias = variant == 2 ? null : new FusedEpilogue.Bias(rowBias, 8, true);
                        FusedEpilogue e = new FusedEpilogue(bias, new FusedEpilogue.Clip(-12f, 9f), null, false);
                        assertTrue(e.inRegisters());
                        GemmTest.check(s.vectorBitSize(), threads, m, n, k, false, variant == 1, variant == 1, e, 2);
                    }
                }
            }
        }
    }

    @Test
    void activationsAgreeWithTheirScalarForms() {
        float[] xs = {-3f, -0.5f, -0f, 0f, 0.1f, 0.25f, 2f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        for (FusedEpilogue.Activation act : ACTIVATIONS) {
            for (float x : xs) {
                float vector = act.apply(FloatVector.broadcast(s, x)).lane(0);
                assertEquals(act.apply(x), vector, 0f, act + " at " + x);
            }
        }
        assertEquals(0f, FusedEpilogue.Activation.RELU.apply(-2f));
        assertEquals(0.25f, new FusedEpilogue.Clip(-0.5f, 0.25f).apply(7f));
        assertEquals(-0.2f, new FusedEpilogue.LeakyRelu(0.1f).apply(-2f), 1e-7f);
    }
}
