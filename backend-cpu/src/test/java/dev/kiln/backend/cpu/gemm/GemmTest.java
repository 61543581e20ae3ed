package dev.kiln.backend.cpu.gemm;

import dev.kiln.backend.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Gemm} against its scalar twin at every species, one and two threads, on shapes with tails everywhere. */
class GemmTest {
    /** Shared by the GEMM test classes for the whole run; their daemon threads end with the JVM. */
    static final WorkerPool TWO = new WorkerPool(2);
    static final WorkerPool ONE = new WorkerPool(1);

    static List<VectorSpecies<Float>> species() {
        return List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_PREFERRED);
    }

    /** m, n, k: the corner cases, tails of every micro-tile and block dimension, more than one depth block, a shallow one over several sweeps. */
    static final int[][] SHAPES = {
            {1, 1, 1}, {7, 13, 5}, {65, 33, 129}, {6, 16, 256}, {12, 32, 8}, {5, 15, 3}, {13, 47, 300},
            {2, 100, 1}, {100, 2, 17}, {31, 65, 513}, {0, 5, 3}, {4, 0, 3}, {3, 4, 0}, {1, 257, 64}, {130, 9, 70}, {7, 2100, 60},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (VectorSpecies<Float> s : species()) {
            for (int threads : new int[] {1, 2}) {
                for (int[] shape : SHAPES) {
                    for (int variant = 0; variant < 4; variant++) {
                        out.add(Arguments.of(s.vectorBitSize(), threads, shape[0], shape[1], shape[2],
                                (variant & 1) != 0, (variant & 2) != 0, variant == 3));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}-bit, {1} threads, {2}×{3}×{4}, transA {5}, transB {6}, accumulate {7}")
    @MethodSource("cases")
    void matchesTheScalarTwin(int bits, int threads, int m, int n, int k, boolean transA, boolean transB,
                              boolean accumulate) {
        check(bits, threads, m, n, k, transA, transB, accumulate, null, 3);
    }

    @Test
    void largeProductSplitAcrossThreadsByRowsAndByColumns() {
        for (VectorSpecies<Float> s : species()) {
            check(s.vectorBitSize(), 2, 200, 96, 300, false, false, false, null, 0);   // by rows
            check(s.vectorBitSize(), 2, 3, 700, 40, true, true, true, null, 0);        // by columns
        }
    }

    @Test
    void heapOperandsGiveTheSameResult() {
        int m = 20, n = 40, k = 30;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = Matrices.random(arena, 1, 0, m * k), b = Matrices.random(arena, 2, 0, k * n);
            MemorySegment heapA = MemorySegment.ofArray(a.toArray(FLOAT)), heapB = MemorySegment.ofArray(b.toArray(FLOAT));
            MemorySegment heapC = MemorySegment.ofArray(new float[m * n]);
            Gemm gemm = new Gemm(FloatVector.SPECIES_PREFERRED, TWO, 0);
            gemm.multiply(m, heapA, 0, k, false, gemm.packB(arena, heapB, 0, n, false, k, n), heapC, 0, n, false, null);
            ScalarGemm want = ScalarGemm.compute(m, n, k, a, 0, k, false, b, 0, n, false, heapC, 0, n, false, null);
            assertTrue(want.worstError(heapC, 0, n, k) <= 1);
        }
    }

    /** Runs one case with padded leading dimensions and offsets, checking values and untouched memory. */
    static void check(int bits, int threads, int m, int n, int k, boolean transA, boolean transB,
                      boolean accumulate, FusedEpilogue epilogue, int pad) {
        VectorSpecies<Float> species = VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(bits));
        Gemm gemm = new Gemm(species, threads == 1 ? ONE : TWO, 0);
        try (Arena arena = Arena.ofShared()) {
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
            MemorySegment a = Matrices.random(arena, 1, 3, aRows * lda);
            MemorySegment b = Matrices.random(arena, 2, 5, bRows * ldb);
            MemorySegment c = Matrices.random(arena, 3, 7, m * ldc);
            MemorySegment before = Matrices.copy(arena, c);
            ScalarGemm want = ScalarGemm.compute(m, n, k, a, 12, lda, transA, b, 20, ldb, transB,
                    c, 28, ldc, accumulate, epilogue);
            PackedMatrix packed = gemm.packB(arena, b, 20, ldb, transB, k, n);
            gemm.multiply(m, a, 12, lda, transA, packed, c, 28, ldc, accumulate, epilogue);
            double worst = want.worstError(c, 28, ldc, k);
            assertTrue(worst <= 1, "error " + worst + " tolerances");
            assertOnlyMatrixWritten(before, c, 7, m, n, ldc);
        }
    }

    private static void assertOnlyMatrixWritten(MemorySegment before, MemorySegment after, int offset, int m,
                                                int n, int ldc) {
        for (long i = 0; i < before.byteSize() / 4; i++) {
            long rel = i - offset;
            boolean inMatrix = rel >= 0 && rel < (long) m * ldc && rel % ldc < n;
            if (!inMatrix) assertEquals(before.get(FLOAT, i * 4), after.get(FLOAT, i * 4), "float " + i + " was written");
        }
    }

    @Test
    void rejectsOperandsThatDoNotFitOrAForeignPacking() {
        Gemm gemm = new Gemm(FloatVector.SPECIES_256, ONE);
        Gemm other = new Gemm(FloatVector.SPECIES_128, ONE);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment small = arena.allocate(4 * 10, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> gemm.packB(arena, small, 0, 4, false, 4, 4));
            PackedMatrix b = gemm.packB(arena, arena.allocate(4 * 16, 4), 0, 4, false, 4, 4);
            MemorySegment c = arena.allocate(4 * 16, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> gemm.multiply(4, small, 0, 4, false, b, c, 0, 4, false, null));
            assertThrows(IllegalArgumentException.class, () -> gemm.multiply(4, c, 0, 2, false, b, c, 0, 4, false, null));
            assertThrows(IllegalArgumentException.class, () -> other.multiply(4, c, 0, 4, false, b, c, 0, 4, false, null));
            PackedMatrix otherDepth = new PackedMatrix(4, 4, b.nr(), b.kc() + 1, b.data());
            assertThrows(IllegalArgumentException.class, () -> gemm.multiply(4, c, 0, 4, false, otherDepth, c, 0, 4, false, null));
        }
    }
}
