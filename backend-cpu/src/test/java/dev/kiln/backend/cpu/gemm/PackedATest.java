package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A packed ahead ({@link Gemm#packA}) and per-worker blocks ({@link Gemm#multiplyOn}) against the scalar twin. */
class PackedATest {
    @Test
    void prepackedAMatchesTheScalarTwinAtEverySpeciesAndThreadCount() {
        for (VectorSpecies<Float> s : GemmTest.species()) {
            for (int threads = 1; threads <= 2; threads++) {
                for (int[] shape : GemmTest.SHAPES) check(s, threads, shape[0], shape[1], shape[2]);
                check(s, threads, 64, 300, 576);   // a convolution's shape: split by columns, three depth blocks
                check(s, threads, 200, 20, 90);    // split by rows
            }
        }
    }

    private static void check(VectorSpecies<Float> species, int threads, int m, int n, int k) {
        Gemm gemm = new Gemm(species, threads == 1 ? GemmTest.ONE : GemmTest.TWO, 0);
        try (Arena arena = Arena.ofShared()) {
            int lda = k + 3, ldc = n + 2;
            MemorySegment a = Matrices.random(arena, 1, 5, m * lda), b = Matrices.random(arena, 2, 0, k * n);
            MemorySegment c = Matrices.random(arena, 3, 4, m * ldc);
            ScalarGemm want = ScalarGemm.compute(m, n, k, a, 20, lda, false, b, 0, n, false, c, 16, ldc, false, null);
            gemm.multiply(gemm.packA(a, 20, lda, m, k), gemm.packB(arena, b, 0, n, false, k, n), c, 16, ldc, false, null);
            assertTrue(want.worstError(c, 16, ldc, k) <= 1, species + " " + threads + "t " + m + "×" + n + "×" + k);
        }
    }

    /**
     * B read in place ({@link Gemm#multiplyInPlace}): whole and partial column panels, depths over one depth block, shallow ones over several sweeps,
     * rows not a multiple of the tile's, split by rows and by columns, with a fused epilogue.
     */
    @Test
    void bReadInPlaceMatchesTheScalarTwinAtEverySpeciesAndThreadCount() {
        int[][] shapes = {{1, 1, 1}, {7, 33, 5}, {64, 300, 576}, {200, 20, 90}, {13, 64, 16}, {96, 49, 300}, {13, 4200, 16}, {8, 1500, 64}};
        for (VectorSpecies<Float> s : GemmTest.species()) {
            for (int threads = 1; threads <= 2; threads++) {
                for (int[] shape : shapes) {
                    int m = shape[0], n = shape[1], k = shape[2], ldb = n + 5, ldc = n + 2;
                    Gemm gemm = new Gemm(s, threads == 1 ? GemmTest.ONE : GemmTest.TWO, 0);
                    try (Arena arena = Arena.ofShared()) {
                        MemorySegment a = Matrices.random(arena, 1, 0, m * k), b = Matrices.random(arena, 2, 3, k * ldb);
                        MemorySegment bias = Matrices.random(arena, 4, 0, m), c = Matrices.random(arena, 3, 4, m * ldc);
                        FusedEpilogue epilogue = new FusedEpilogue(new FusedEpilogue.Bias(bias, 0, true), FusedEpilogue.Activation.RELU, null, false);
                        ScalarGemm want = ScalarGemm.compute(m, n, k, a, 0, k, false, b, 12, ldb, false, c, 16, ldc, false, epilogue);
                        gemm.multiplyInPlace(gemm.packA(a, 0, k, m, k), b, 12, ldb, n, c, 16, ldc, epilogue);
                        assertTrue(want.worstError(c, 16, ldc, k) <= 1, s + " " + threads + "t " + m + "×" + n + "×" + k);
                    }
                }
            }
        }
    }

    /** Column blocks multiplied on their own workers, with a per-column bias that must see the block's true columns. */
    @Test
    void blocksOnWorkersNumberTheirColumnsFromTheOrigin() {
        for (VectorSpecies<Float> s : GemmTest.species()) {
            int m = 13, n = 70, k = 40, block = 32;
            Gemm gemm = new Gemm(s, GemmTest.TWO, 0);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment a = Matrices.random(arena, 1, 0, m * k), b = Matrices.random(arena, 2, 0, k * n);
                MemorySegment bias = Matrices.random(arena, 4, 0, n), c = Matrices.random(arena, 3, 0, m * n);
                FusedEpilogue epilogue = new FusedEpilogue(new FusedEpilogue.Bias(bias, 0, false), FusedEpilogue.Activation.RELU, null, false);
                ScalarGemm want = ScalarGemm.compute(m, n, k, a, 0, k, false, b, 0, n, false, c, 0, n, false, epilogue);
                PackedA packedA = gemm.packA(a, 0, k, m, k);
                for (int first = 0, worker = 0; first < n; first += block, worker ^= 1) {
                    int cols = Math.min(block, n - first);
                    PackedMatrix part = gemm.packB(arena, b, first * 4L, n, false, k, cols);
                    gemm.multiplyOn(worker, packedA, part, c, first * 4L, n, first, epilogue);
                }
                assertTrue(want.worstError(c, 0, n, k) <= 1, s.toString());
            }
        }
    }

    @Test
    void rejectsAPackingForAnotherKernelOrDepth() {
        Gemm gemm = new Gemm(VectorSpecies.of(float.class, VectorShape.S_256_BIT), GemmTest.ONE);
        Gemm other = new Gemm(VectorSpecies.of(float.class, VectorShape.S_512_BIT), GemmTest.ONE);   // another depth block
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = Matrices.random(arena, 1, 0, 8 * 8), c = arena.allocate(4 * 64, 4);
            PackedMatrix b = gemm.packB(arena, a, 0, 8, false, 8, 8);
            assertThrows(IllegalArgumentException.class, () -> gemm.multiply(other.packA(a, 0, 8, 8, 8), b, c, 0, 8, false, null));
            assertThrows(IllegalArgumentException.class, () -> gemm.multiply(gemm.packA(a, 0, 8, 8, 4), b, c, 0, 8, false, null));
            assertThrows(IndexOutOfBoundsException.class, () -> gemm.multiply(gemm.packA(a, 0, 8, 8, 8), b, c, 0, 9, false, null));
        }
    }
}
