package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 128-bit integer micro-kernel: a 6 × 8 tile in 12 int32 accumulators (see {@link QuantMicroKernel}).
 * Written out without helper methods so that no vector escapes to the heap.
 */
final class QuantKernel6x2v128 extends QuantMicroKernel {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_128;
    private static final int LANES = 4;

    QuantKernel6x2v128() { super(6, 2 * LANES); }

    @Override
    void tile(int[] a, int aOff, int lda, int[] b, int bOff, int k, int[] c) {
        IntVector z = IntVector.zero(S);
        IntVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < k; p++) {
            int bp = bOff + p * 2 * LANES, ap = aOff + p;
            IntVector b0 = IntVector.fromArray(S, b, bp);
            IntVector b1 = IntVector.fromArray(S, b, bp + LANES);
            IntVector a0 = IntVector.broadcast(S, a[ap + 0 * lda]);
            c00 = c00.add(a0.mul(b0));
            c01 = c01.add(a0.mul(b1));
            IntVector a1 = IntVector.broadcast(S, a[ap + 1 * lda]);
            c10 = c10.add(a1.mul(b0));
            c11 = c11.add(a1.mul(b1));
            IntVector a2 = IntVector.broadcast(S, a[ap + 2 * lda]);
            c20 = c20.add(a2.mul(b0));
            c21 = c21.add(a2.mul(b1));
            IntVector a3 = IntVector.broadcast(S, a[ap + 3 * lda]);
            c30 = c30.add(a3.mul(b0));
            c31 = c31.add(a3.mul(b1));
            IntVector a4 = IntVector.broadcast(S, a[ap + 4 * lda]);
            c40 = c40.add(a4.mul(b0));
            c41 = c41.add(a4.mul(b1));
            IntVector a5 = IntVector.broadcast(S, a[ap + 5 * lda]);
            c50 = c50.add(a5.mul(b0));
            c51 = c51.add(a5.mul(b1));
        }
        c00.intoArray(c, 0 * 2 * LANES + 0 * LANES);
        c01.intoArray(c, 0 * 2 * LANES + 1 * LANES);
        c10.intoArray(c, 1 * 2 * LANES + 0 * LANES);
        c11.intoArray(c, 1 * 2 * LANES + 1 * LANES);
        c20.intoArray(c, 2 * 2 * LANES + 0 * LANES);
        c21.intoArray(c, 2 * 2 * LANES + 1 * LANES);
        c30.intoArray(c, 3 * 2 * LANES + 0 * LANES);
        c31.intoArray(c, 3 * 2 * LANES + 1 * LANES);
        c40.intoArray(c, 4 * 2 * LANES + 0 * LANES);
        c41.intoArray(c, 4 * 2 * LANES + 1 * LANES);
        c50.intoArray(c, 5 * 2 * LANES + 0 * LANES);
        c51.intoArray(c, 5 * 2 * LANES + 1 * LANES);
    }
}
