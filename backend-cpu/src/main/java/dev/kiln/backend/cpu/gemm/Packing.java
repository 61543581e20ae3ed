package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;

/**
 * Copies operands into the micro-kernels' panel layouts. Transposition is absorbed here: a transposed operand is
 * only read with other strides, so the kernels never see it. Padding lanes are written as zeros, so edge tiles
 * compute with the full register tile and only their store is cut short.
 */
final class Packing {
    private Packing() {}

    /**
     * Packs B ({@code k × n}, element {@code (kk, j)} at {@code src[kk·ldb + j]}, or {@code src[j·ldb + kk]} with
     * {@code transB}) into {@code into}'s layout (see {@link PackedMatrix}).
     */
    static void packB(MemorySegment src, long srcOff, int ldb, boolean transB, PackedMatrix into) {
        int k = into.k(), n = into.n(), nr = into.nr();
        MemorySegment dst = into.data();
        long rowStride = transB ? 1 : ldb, colStride = transB ? ldb : 1;
        for (int pc = 0; pc < k; pc += into.kc()) {
            int kcb = Math.min(into.kc(), k - pc);
            for (int col = 0; col < n; col += nr) {
                int cols = Math.min(nr, n - col);
                long out = into.panelOffset(pc, col);
                for (int p = 0; p < kcb; p++, out += (long) nr * Float.BYTES) {
                    long in = srcOff + ((pc + p) * rowStride + col * colStride) * Float.BYTES;
                    for (int j = 0; j < cols; j++) dst.set(FLOAT, out + j * 4L, src.get(FLOAT, in + j * colStride * 4));
                    for (int j = cols; j < nr; j++) dst.set(FLOAT, out + j * 4L, 0f);
                }
            }
        }
    }

    /**
     * Packs the block {@code A[i0 : i0+rows, p0 : p0+kcb]} (element {@code (i, kk)} at {@code src[i·lda + kk]}, or
     * {@code src[kk·lda + i]} with {@code transA}) into micro-panels of {@code mr} rows of {@code kcb} floats each,
     * row-major, panel {@code r} at float {@code dstOffset + r·mr·kcb} of {@code dst}; rows past the block are zeros. Row-major
     * panels make packing a bulk copy per row: the k-major interleave of the classic layout measured more than
     * half of the packing time and buys the kernel nothing while a panel sits in L1.
     */
    static void packA(MemorySegment src, long srcOff, int lda, boolean transA, int i0, int rows, int p0, int kcb,
                      int mr, float[] dst, int dstOffset) {
        int paddedRows = (rows + mr - 1) / mr * mr;
        for (int ii = 0; ii < paddedRows; ii++) {
            int i = i0 + ii, to = dstOffset + ii * kcb;
            if (ii >= rows) {
                Arrays.fill(dst, to, to + kcb, 0f);
            } else if (transA) {
                for (int p = 0; p < kcb; p++) dst[to + p] = src.get(FLOAT, srcOff + ((long) (p0 + p) * lda + i) * 4);
            } else {
                MemorySegment.copy(src, FLOAT, srcOff + ((long) i * lda + p0) * 4, dst, to, kcb);
            }
        }
    }
}
