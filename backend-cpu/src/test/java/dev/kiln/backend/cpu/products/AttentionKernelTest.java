package dev.kiln.backend.cpu.products;

import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One attention row of the vector kernel against its scalar twin, at the smallest and largest species. */
class AttentionKernelTest {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void rowsMatchTheScalarTwinAcrossBlockAndTailWidths() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {8, 8, 8}, {13, 37, 19}, {16, 64, 64}, {7, 71, 70}};
        for (VectorSpecies<Float> species : ReferenceCheck.SPECIES) {
            // The softmax at the step's full width too, as AttentionStep builds a kernel narrowed for short heads.
            for (AttentionKernel kernel : new AttentionKernel[] {new AttentionKernel(species, species), new AttentionKernel(species, ReferenceCheck.SPECIES.getLast())}) {
                for (int[] dims : shapes) {
                    for (int maskStride = -1; maskStride <= 1; maskStride++) check(kernel, dims[0], dims[1], dims[2], maskStride);
                }
            }
        }
    }

    /** {@code maskStride} −1: no mask; 0: one value for the row; 1: one per key. */
    private static void check(AttentionKernel kernel, int d, int sk, int dv, int maskStride) {
        Arena arena = Arena.ofAuto();
        MemorySegment q = random(arena, d, 1), kt = random(arena, d * sk, 2), v = random(arena, sk * dv, 3);
        MemorySegment mask = maskStride < 0 ? null : random(arena, sk, 4);
        MemorySegment out = arena.allocate((long) dv * Float.BYTES), scores = arena.allocate((long) sk * Float.BYTES);
        float scale = 0.7f;
        kernel.row(new AttentionKernel.Shape(d, sk, dv, scale, Math.max(maskStride, 0)), q, 0, kt, 0, v, 0, mask, 0, out, 0, scores);
        double[] p = new double[sk];
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < sk; j++) {
            double s = 0;
            for (int i = 0; i < d; i++) s += (double) q.getAtIndex(FLOAT, i) * kt.getAtIndex(FLOAT, (long) i * sk + j);
            p[j] = s * scale + (mask == null ? 0 : mask.getAtIndex(FLOAT, maskStride == 0 ? 0 : j));
            max = Math.max(max, p[j]);
        }
        for (int j = 0; j < sk; j++) sum += p[j] = Math.exp(p[j] - max);
        for (int c = 0; c < dv; c++) {
            double y = 0;
            for (int j = 0; j < sk; j++) y += p[j] / sum * v.getAtIndex(FLOAT, (long) j * dv + c);
            assertEquals(y, out.getAtIndex(FLOAT, c), 1e-5 + 1e-4 * Math.abs(y), kernel.species() + " d=" + d + " sk=" + sk + " dv=" + dv + " column " + c);
        }
    }

    private static MemorySegment random(Arena arena, int n, long seed) {
        MemorySegment s = arena.allocate((long) n * Float.BYTES);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) s.setAtIndex(FLOAT, i, (float) r.nextDouble(-1, 1));
        return s;
    }
}
