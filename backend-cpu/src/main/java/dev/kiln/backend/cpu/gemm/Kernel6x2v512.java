package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * The 512-bit micro-kernel: a 6 × 32 tile in 12 accumulators (see {@link MicroKernel}). Written out
 * without helper methods: a vector passed to a call the JIT declines to inline is boxed on the heap, and this
 * method is large enough to reach C2's inlining node cutoff.
 */
final class Kernel6x2v512 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int LANES = 16;

    Kernel6x2v512() { super(6, 2 * LANES); }

    /** B's row stride in a packed panel. */
    private static final long PANEL_ROW_BYTES = 2L * LANES * 4;

    /**
     * Packed panels take a loop whose B stride is a constant; B read in place (a 1×1 convolution's image) the same
     * loop with its row stride. One loop with the stride as a variable cost ResNet-18 10% end to end (p50 ratio to
     * ONNX Runtime 1.94 → 2.12, alternated runs): C2 no longer hoisted the segment's bounds checks.
     */
    @Override
    void tile(float[] a, int aOff, MemorySegment b, long bOff, long ldbBytes, int kc,
              MemorySegment c, long cOff, long ldcBytes, boolean accumulate, float[] rowBias, float lo, float hi) {
        if (ldbBytes == PANEL_ROW_BYTES) packed(a, aOff, b, bOff, kc, c, cOff, ldcBytes, accumulate, rowBias, lo, hi);
        else strided(a, aOff, b, bOff, ldbBytes, kc, c, cOff, ldcBytes, accumulate, rowBias, lo, hi);
    }

    private static void packed(float[] a, int aOff, MemorySegment b, long bOff, int kc,
                               MemorySegment c, long cOff, long ldcBytes, boolean accumulate, float[] rowBias, float lo, float hi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            // A constant stride: the JIT hoists the bounds checks out of the loop.
            long bp = bOff + p * PANEL_ROW_BYTES;
            int ap = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + LANES * 4, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1 * kc]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2 * kc]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3 * kc]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4 * kc]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5 * kc]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromMemorySegment(S, c, cOff + 0 * ldcBytes, ORDER));
            c01 = c01.add(FloatVector.fromMemorySegment(S, c, cOff + 0 * ldcBytes + LANES * 4, ORDER));
            c10 = c10.add(FloatVector.fromMemorySegment(S, c, cOff + 1 * ldcBytes, ORDER));
            c11 = c11.add(FloatVector.fromMemorySegment(S, c, cOff + 1 * ldcBytes + LANES * 4, ORDER));
            c20 = c20.add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldcBytes, ORDER));
            c21 = c21.add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldcBytes + LANES * 4, ORDER));
            c30 = c30.add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldcBytes, ORDER));
            c31 = c31.add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldcBytes + LANES * 4, ORDER));
            c40 = c40.add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldcBytes, ORDER));
            c41 = c41.add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldcBytes + LANES * 4, ORDER));
            c50 = c50.add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldcBytes, ORDER));
            c51 = c51.add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldcBytes + LANES * 4, ORDER));
        }
        if (rowBias != null) {
            // Clamped by compare and blend (two instructions), not max/min, which Java's NaN and signed-zero rules
            // make a sequence of five each: on a shallow tile those cost more than the stores they spared.
            FloatVector low = FloatVector.broadcast(S, lo), high = FloatVector.broadcast(S, hi);
            boolean capped = hi != Float.POSITIVE_INFINITY;
            FloatVector r0 = FloatVector.broadcast(S, rowBias[0]);
            c00 = c00.add(r0);
            if (capped) c00 = c00.blend(high, c00.compare(VectorOperators.GT, high));
            c00 = c00.blend(low, c00.lt(low));
            c01 = c01.add(r0);
            if (capped) c01 = c01.blend(high, c01.compare(VectorOperators.GT, high));
            c01 = c01.blend(low, c01.lt(low));
            FloatVector r1 = FloatVector.broadcast(S, rowBias[1]);
            c10 = c10.add(r1);
            if (capped) c10 = c10.blend(high, c10.compare(VectorOperators.GT, high));
            c10 = c10.blend(low, c10.lt(low));
            c11 = c11.add(r1);
            if (capped) c11 = c11.blend(high, c11.compare(VectorOperators.GT, high));
            c11 = c11.blend(low, c11.lt(low));
            FloatVector r2 = FloatVector.broadcast(S, rowBias[2]);
            c20 = c20.add(r2);
            if (capped) c20 = c20.blend(high, c20.compare(VectorOperators.GT, high));
            c20 = c20.blend(low, c20.lt(low));
            c21 = c21.add(r2);
            if (capped) c21 = c21.blend(high, c21.compare(VectorOperators.GT, high));
            c21 = c21.blend(low, c21.lt(low));
            FloatVector r3 = FloatVector.broadcast(S, rowBias[3]);
            c30 = c30.add(r3);
            if (capped) c30 = c30.blend(high, c30.compare(VectorOperators.GT, high));
            c30 = c30.blend(low, c30.lt(low));
            c31 = c31.add(r3);
            if (capped) c31 = c31.blend(high, c31.compare(VectorOperators.GT, high));
            c31 = c31.blend(low, c31.lt(low));
            FloatVector r4 = FloatVector.broadcast(S, rowBias[4]);
            c40 = c40.add(r4);
            if (capped) c40 = c40.blend(high, c40.compare(VectorOperators.GT, high));
            c40 = c40.blend(low, c40.lt(low));
            c41 = c41.add(r4);
            if (capped) c41 = c41.blend(high, c41.compare(VectorOperators.GT, high));
            c41 = c41.blend(low, c41.lt(low));
            FloatVector r5 = FloatVector.broadcast(S, rowBias[5]);
            c50 = c50.add(r5);
            if (capped) c50 = c50.blend(high, c50.compare(VectorOperators.GT, high));
            c50 = c50.blend(low, c50.lt(low));
            c51 = c51.add(r5);
            if (capped) c51 = c51.blend(high, c51.compare(VectorOperators.GT, high));
            c51 = c51.blend(low, c51.lt(low));
        }
        c00.intoMemorySegment(c, cOff + 0 * ldcBytes, ORDER);
        c01.intoMemorySegment(c, cOff + 0 * ldcBytes + LANES * 4, ORDER);
        c10.intoMemorySegment(c, cOff + 1 * ldcBytes, ORDER);
        c11.intoMemorySegment(c, cOff + 1 * ldcBytes + LANES * 4, ORDER);
        c20.intoMemorySegment(c, cOff + 2 * ldcBytes, ORDER);
        c21.intoMemorySegment(c, cOff + 2 * ldcBytes + LANES * 4, ORDER);
        c30.intoMemorySegment(c, cOff + 3 * ldcBytes, ORDER);
        c31.intoMemorySegment(c, cOff + 3 * ldcBytes + LANES * 4, ORDER);
        c40.intoMemorySegment(c, cOff + 4 * ldcBytes, ORDER);
        c41.intoMemorySegment(c, cOff + 4 * ldcBytes + LANES * 4, ORDER);
        c50.intoMemorySegment(c, cOff + 5 * ldcBytes, ORDER);
        c51.intoMemorySegment(c, cOff + 5 * ldcBytes + LANES * 4, ORDER);
    }

    private static void strided(float[] a, int aOff, MemorySegment b, long bOff, long ldbBytes, int kc,
                                MemorySegment c, long cOff, long ldcBytes, boolean accumulate, float[] rowBias, float lo, float hi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            long bp = bOff + p * ldbBytes;
            int ap = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + LANES * 4, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1 * kc]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2 * kc]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3 * kc]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4 * kc]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5 * kc]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromMemorySegment(S, c, cOff + 0 * ldcBytes, ORDER));
            c01 = c01.add(FloatVector.fromMemorySegment(S, c, cOff + 0 * ldcBytes + LANES * 4, ORDER));
            c10 = c10.add(FloatVector.fromMemorySegment(S, c, cOff + 1 * ldcBytes, ORDER));
            c11 = c11.add(FloatVector.fromMemorySegment(S, c, cOff + 1 * ldcBytes + LANES * 4, ORDER));
            c20 = c20.add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldcBytes, ORDER));
            c21 = c21.add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldcBytes + LANES * 4, ORDER));
            c30 = c30.add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldcBytes, ORDER));
            c31 = c31.add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldcBytes + LANES * 4, ORDER));
            c40 = c40.add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldcBytes, ORDER));
            c41 = c41.add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldcBytes + LANES * 4, ORDER));
            c50 = c50.add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldcBytes, ORDER));
            c51 = c51.add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldcBytes + LANES * 4, ORDER));
        }
        if (rowBias != null) {
            // Clamped by compare and blend (two instructions), not max/min, which Java's NaN and signed-zero rules
            // make a sequence of five each: on a shallow tile those cost more than the stores they spared.
            FloatVector low = FloatVector.broadcast(S, lo), high = FloatVector.broadcast(S, hi);
            boolean capped = hi != Float.POSITIVE_INFINITY;
            FloatVector r0 = FloatVector.broadcast(S, rowBias[0]);
            c00 = c00.add(r0);
            if (capped) c00 = c00.blend(high, c00.compare(VectorOperators.GT, high));
            c00 = c00.blend(low, c00.lt(low));
            c01 = c01.add(r0);
            if (capped) c01 = c01.blend(high, c01.compare(VectorOperators.GT, high));
            c01 = c01.blend(low, c01.lt(low));
            FloatVector r1 = FloatVector.broadcast(S, rowBias[1]);
            c10 = c10.add(r1);
            if (capped) c10 = c10.blend(high, c10.compare(VectorOperators.GT, high));
            c10 = c10.blend(low, c10.lt(low));
            c11 = c11.add(r1);
            if (capped) c11 = c11.blend(high, c11.compare(VectorOperators.GT, high));
            c11 = c11.blend(low, c11.lt(low));
            FloatVector r2 = FloatVector.broadcast(S, rowBias[2]);
            c20 = c20.add(r2);
            if (capped) c20 = c20.blend(high, c20.compare(VectorOperators.GT, high));
            c20 = c20.blend(low, c20.lt(low));
            c21 = c21.add(r2);
            if (capped) c21 = c21.blend(high, c21.compare(VectorOperators.GT, high));
            c21 = c21.blend(low, c21.lt(low));
            FloatVector r3 = FloatVector.broadcast(S, rowBias[3]);
            c30 = c30.add(r3);
            if (capped) c30 = c30.blend(high, c30.compare(VectorOperators.GT, high));
            c30 = c30.blend(low, c30.lt(low));
            c31 = c31.add(r3);
            if (capped) c31 = c31.blend(high, c31.compare(VectorOperators.GT, high));
            c31 = c31.blend(low, c31.lt(low));
            FloatVector r4 = FloatVector.broadcast(S, rowBias[4]);
            c40 = c40.add(r4);
            if (capped) c40 = c40.blend(high, c40.compare(VectorOperators.GT, high));
            c40 = c40.blend(low, c40.lt(low));
            c41 = c41.add(r4);
            if (capped) c41 = c41.blend(high, c41.compare(VectorOperators.GT, high));
            c41 = c41.blend(low, c41.lt(low));
            FloatVector r5 = FloatVector.broadcast(S, rowBias[5]);
            c50 = c50.add(r5);
            if (capped) c50 = c50.blend(high, c50.compare(VectorOperators.GT, high));
            c50 = c50.blend(low, c50.lt(low));
            c51 = c51.add(r5);
            if (capped) c51 = c51.blend(high, c51.compare(VectorOperators.GT, high));
            c51 = c51.blend(low, c51.lt(low));
        }
        c00.intoMemorySegment(c, cOff + 0 * ldcBytes, ORDER);
        c01.intoMemorySegment(c, cOff + 0 * ldcBytes + LANES * 4, ORDER);
        c10.intoMemorySegment(c, cOff + 1 * ldcBytes, ORDER);
        c11.intoMemorySegment(c, cOff + 1 * ldcBytes + LANES * 4, ORDER);
        c20.intoMemorySegment(c, cOff + 2 * ldcBytes, ORDER);
        c21.intoMemorySegment(c, cOff + 2 * ldcBytes + LANES * 4, ORDER);
        c30.intoMemorySegment(c, cOff + 3 * ldcBytes, ORDER);
        c31.intoMemorySegment(c, cOff + 3 * ldcBytes + LANES * 4, ORDER);
        c40.intoMemorySegment(c, cOff + 4 * ldcBytes, ORDER);
        c41.intoMemorySegment(c, cOff + 4 * ldcBytes + LANES * 4, ORDER);
        c50.intoMemorySegment(c, cOff + 5 * ldcBytes, ORDER);
        c51.intoMemorySegment(c, cOff + 5 * ldcBytes + LANES * 4, ORDER);
    }
}
