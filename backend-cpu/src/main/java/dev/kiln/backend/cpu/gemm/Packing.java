package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;

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
     * {@code src[kk·lda + i]} with {@code transA}) into micro-panels of {@code mr} rows, each k-major
     * ({@code mr} floats per step of k), panel {@code r} at float {@code r·mr·kcb} of {@code dst}.
     */
    static void packA(MemorySegment src, long srcOff, int lda, boolean transA, int i0, int rows, int p0, int kcb,
                      int mr, MemorySegment dst) {
        long rowStride = transA ? 1 : lda, colStride = transA ? lda : 1;
        for (int r = 0; r < rows; r += mr) {
            int panelRows = Math.min(mr, rows - r);
            long panel = (long) r * kcb * Float.BYTES;
            for (int ii = 0; ii < panelRows; ii++) {
                long in = srcOff + ((i0 + r + ii) * rowStride + p0 * colStride) * Float.BYTES;
                long out = panel + ii * 4L;
                for (int p = 0; p < kcb; p++) dst.set(FLOAT, out + (long) p * mr * 4, src.get(FLOAT, in + p * colStride * 4));
            }
            for (int ii = panelRows; ii < mr; ii++) {
                for (int p = 0; p < kcb; p++) dst.set(FLOAT, panel + ((long) p * mr + ii) * 4, 0f);
            }
        }
    }
}
