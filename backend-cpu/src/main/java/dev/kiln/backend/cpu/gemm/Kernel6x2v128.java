package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * The 128-bit micro-kernel: a 6 × 8 tile in 12 accumulators (see {@link MicroKernel}). Written out
 * without helper methods: a vector passed to a call the JIT declines to inline is boxed on the heap, and this
 * method is large enough to reach C2's inlining node cutoff.
 */
final class Kernel6x2v128 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    private static final int LANES = 4;

    Kernel6x2v128() { super(6, 2 * LANES); }

    /** B's row stride in a packed panel. */
    private static final long PANEL_ROW_BYTES = 2L * LANES * 4;

    /** Packed panels and B read in place take separate loops, as in {@link Kernel6x2v512} (which says why). */
    @Override
    void tile(float[] a, int aOff, MemorySegment b, long bOff, long ldbBytes, int kc,
              MemorySegment c, long cOff, long ldcBytes, boolean accumulate) {
        if (ldbBytes == PANEL_ROW_BYTES) packed(a, aOff, b, bOff, kc, c, cOff, ldcBytes, accumulate);
        else strided(a, aOff, b, bOff, ldbBytes, kc, c, cOff, ldcBytes, accumulate);
    }

    private static void packed(float[] a, int aOff, MemorySegment b, long bOff, int kc,
                               MemorySegment c, long cOff, long ldcBytes, boolean accumulate) {
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
                                MemorySegment c, long cOff, long ldcBytes, boolean accumulate) {
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
