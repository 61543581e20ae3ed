package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The int8 GEMM against its scalar twin, exactly, at the smallest and the largest species: shapes on and off the
 * register tile (edge tiles, K = 0 and 1), uint8 and int8 operands, zero points per tensor, per row and per column,
 * a transposed B, and each epilogue.
 */
class QuantGemmTest {
    private static final List<VectorSpecies<Integer>> SPECIES = List.of(IntVector.SPECIES_128, IntVector.SPECIES_PREFERRED);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** m, k, n; the last three block K ({@link QuantGemm#UNBLOCKED_MAX_K}): at, just past and well past the limit. */
    private static final int[][] SHAPES = {{1, 1, 1}, {6, 7, 32}, {7, 13, 33}, {5, 0, 9}, {13, 64, 17}, {37, 129, 70}, {12, 300, 64}, {2, 3, 200},
            {7, 1500, 40}, {13, 1024, 33}, {6, 1025, 5}};

    @Test
    void accumulatorsMatchTheScalarTwin() {
        SplittableRandom r = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            for (VectorSpecies<Integer> species : SPECIES) {
                QuantGemm gemm = new QuantGemm(species);
                for (int[] s : SHAPES) {
                    for (int variant = 0; variant < 4; variant++) {
                        int m = s[0], k = s[1], n = s[2];
                        boolean unsignedA = variant % 2 == 0, transB = variant >= 2;
                        QuantMatrix a = new QuantMatrix(bytes(arena, r, m * k), 0, m, k, k, false, unsignedA,
                                variant == 1 ? randomZeros(r, m) : new int[] {r.nextInt(256) - (unsignedA ? 0 : 128)}, true);
                        QuantMatrix b = new QuantMatrix(bytes(arena, r, k * n), 0, k, n, transB ? k : n, transB, variant == 3,
                                variant == 2 ? randomZeros(r, n) : new int[] {r.nextInt(-5, 5)}, false);
                        int[] want = ScalarQuantGemm.multiply(a, b);
                        MemorySegment c = arena.allocate(4L * m * n + 4);
                        gemm.multiply(gemm.packLeft(a), gemm.packRight(b), new Int32Store(c, 4, n));
                        for (int i = 0; i < m * n; i++) {
                            assertEquals(want[i], c.get(INT, 4 + 4L * i), species + " " + m + "x" + k + "x" + n + " variant " + variant + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void requantizeAndDequantizeEpiloguesMatchTheirDefinitions() {
        SplittableRandom r = new SplittableRandom(12);
        try (Arena arena = Arena.ofConfined()) {
            for (VectorSpecies<Integer> species : SPECIES) {
                QuantGemm gemm = new QuantGemm(species);
                int m = 19, k = 75, n = 41;
                QuantMatrix a = QuantMatrix.rowMajor(bytes(arena, r, m * k), 0, m, k, true, 131);
                QuantMatrix b = new QuantMatrix(bytes(arena, r, k * n), 0, k, n, n, false, false, new int[] {0}, false);
                int[] acc = ScalarQuantGemm.multiply(a, b);
                double[] scales = new double[n], bias = new double[n];
                for (int j = 0; j < n; j++) {
                    scales[j] = (float) r.nextDouble(1e-4, 3e-3);
                    bias[j] = r.nextInt(-3000, 3000);
                }
                // Exact halves must round to even: the multiplier 0.5 makes every odd accumulator a tie.
                scales[3] = 0.5;
                ChannelValues multiplier = new ChannelValues(scales, false), biases = new ChannelValues(bias, false);
                MemorySegment q = arena.allocate((long) m * n), f = arena.allocate(4L * m * n);
                gemm.multiply(gemm.packLeft(a), gemm.packRight(b), new Requantize(q, 0, n, multiplier, biases, 10, -128, 127));
                gemm.multiply(gemm.packLeft(a), gemm.packRight(b), new Dequantize(f, 0, n, multiplier, biases));
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double v = acc[i * n + j] + bias[j];
                        long want = Math.clamp(Math.round(roundHalfEven(v * scales[j])) + 10, -128, 127);
                        assertEquals(want, q.get(ValueLayout.JAVA_BYTE, (long) i * n + j), species + " requantized at " + i + "," + j);
                        assertEquals((float) (v * scales[j]), f.get(FLOAT, 4L * (i * n + j)), species + " dequantized at " + i + "," + j);
                    }
                }
            }
        }
    }

    /** Round half to even, written out (the spec's rounding), to check the epilogue's use of rint. */
    private static double roundHalfEven(double x) {
        double floor = Math.floor(x), diff = x - floor;
        if (diff < 0.5) return floor;
        if (diff > 0.5) return floor + 1;
        return floor % 2 == 0 ? floor : floor + 1;
    }

    private static int[] randomZeros(SplittableRandom r, int n) {
        int[] z = new int[n];
        for (int i = 0; i < n; i++) z[i] = r.nextInt(-20, 20);
        return z;
    }

    private static MemorySegment bytes(Arena arena, SplittableRandom r, int n) {
        MemorySegment s = arena.allocate(Math.max(1, n));
        for (int i = 0; i < n; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
        return s;
    }
}
