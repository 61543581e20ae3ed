package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;
import static dev.kiln.backend.cpu.gemm.MicroKernel.ORDER;

/**
 * One thread's share of a GEMM: the loop nest of {@link Blocking} over a rectangle of C, with the thread's own
 * scratch (the packed A block and an edge tile), allocated once and reused by every call.
 */
final class BlockedGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final MicroKernel kernel;
    private final Blocking blocking;
    /** The packed A block, on the heap: filled by bulk copies, read by the micro-kernel as plain float loads. */
    private final float[] aPack;
    private final MemorySegment edgeTile;
    /** The last, partial column panel of a B read in place, packed and zero-padded ({@code kc × nr}). */
    private final MemorySegment edgePanel;

    BlockedGemm(MicroKernel kernel, Blocking blocking) {
        this.kernel = kernel;
        this.blocking = blocking;
        Arena arena = Arena.ofAuto();
        int paddedRows = (blocking.mc() + kernel.mr - 1) / kernel.mr * kernel.mr;
        this.aPack = new float[paddedRows * blocking.kc()];
        this.edgeTile = arena.allocate((long) kernel.mr * kernel.nr * Float.BYTES, 64);
        this.edgePanel = arena.allocate((long) blocking.kc() * kernel.nr * Float.BYTES, 64);
    }

    /** Computes C's rows {@code [m0, m1)} and columns {@code [n0, n1)}; {@code n0} is a multiple of {@code nr}. */
    void run(GemmCall call, int m0, int m1, int n0, int n1) {
        PackedMatrix b = call.b;
        int k = b.k();
        if (k == 0) {
            emptyProduct(call, m0, m1, n0, n1);
            return;
        }
        for (int jc = n0; jc < n1; jc += blocking.nc()) {
            int ncb = Math.min(blocking.nc(), n1 - jc);
            for (int pc = 0; pc < k; pc += blocking.kc()) {
                int kcb = Math.min(blocking.kc(), k - pc);
                boolean accumulate = call.accumulate || pc > 0;
                boolean last = pc + kcb == k;
                for (int ic = m0; ic < m1; ic += blocking.mc()) {
                    int mcb = Math.min(blocking.mc(), m1 - ic);
                    if (call.packedA != null) {
                        macroKernel(call, call.packedA.data(), call.packedA.offset(pc, ic), ic, mcb, jc, ncb, pc, kcb, accumulate, last);
                    } else {
                        Packing.packA(call.a, call.aOffset, call.lda, call.transA, ic, mcb, pc, kcb, kernel.mr, aPack, 0);
                        macroKernel(call, aPack, 0, ic, mcb, jc, ncb, pc, kcb, accumulate, last);
                    }
                }
            }
        }
    }

    /** The two innermost loops: every register tile of one packed A block against one B block. */
    private void macroKernel(GemmCall call, float[] aBlock, int aBase, int ic, int mcb, int jc, int ncb, int pc, int kcb,
                             boolean accumulate, boolean last) {
        int mr = kernel.mr, nr = kernel.nr, ldc = call.ldc;
        long ldcBytes = (long) ldc * Float.BYTES, panelRowBytes = (long) nr * Float.BYTES;
        MemorySegment bData = call.b.data(), c = call.c;
        // Only off-heap C is stored by the kernel directly, others through the edge tile: a kernel that sees more
        // than one segment implementation at a site stops inlining the accessors and slows severalfold.
        boolean direct = c.isNative();
        for (int jr = 0; jr < ncb; jr += nr) {
            int cols = Math.min(nr, ncb - jr), col = jc + jr;
            long bOff = call.b.panelOffset(pc, col);
            for (int ir = 0; ir < mcb; ir += mr) {
                int rows = Math.min(mr, mcb - ir), row = ic + ir;
                int aOff = aBase + ir * kcb;
                long cOff = call.cOffset + ((long) row * ldc + col) * Float.BYTES;
                if (direct && rows == mr && cols == nr) {
                    kernel.tile(aBlock, aOff, bData, bOff, panelRowBytes, kcb, c, cOff, ldcBytes, accumulate);
                } else {
                    kernel.tile(aBlock, aOff, bData, bOff, panelRowBytes, kcb, edgeTile, 0, panelRowBytes, false);
                    mergeEdge(c, cOff, ldc, rows, cols, accumulate);
                }
                if (last && call.epilogue != null) call.epilogue.apply(c, cOff, ldc, row, call.columnOrigin + col, rows, cols);
            }
        }
    }

    /**
     * Computes C's rows {@code [m0, m1)} and columns {@code [n0, n1)} ({@code n0} a multiple of {@code nr}) with A
     * packed ahead and B read in place: a full micro-panel of B is {@code kc} rows of {@code nr} floats, {@code ldb}
     * apart, which the micro-kernel reads straight from B (after the first row panel of A, from L1); only the last,
     * partial panel is copied, zero-padded, into {@link #edgePanel}.
     */
    void runInPlace(GemmCall call, int m0, int m1, int n0, int n1) {
        PackedA a = call.packedA;
        int k = a.k(), mr = kernel.mr, nr = kernel.nr, ldc = call.ldc;
        long ldcBytes = (long) ldc * Float.BYTES, ldbBytes = (long) call.ldb * Float.BYTES, panelRowBytes = (long) nr * Float.BYTES;
        MemorySegment c = call.c;
        boolean direct = c.isNative();
        for (int pc = 0; pc < k; pc += blocking.kc()) {
            int kcb = Math.min(blocking.kc(), k - pc);
            boolean last = pc + kcb == k;
            for (int ic = m0; ic < m1; ic += blocking.mc()) {
                int icEnd = Math.min(m1, ic + blocking.mc());
                for (int col = n0; col < n1; col += nr) {
                    int cols = Math.min(nr, n1 - col);
                    MemorySegment bData = call.bInPlace;
                    long bOff = call.bOffset + ((long) pc * call.ldb + col) * Float.BYTES, bStride = ldbBytes;
                    if (cols < nr) {
                        packEdgePanel(bData, bOff, ldbBytes, kcb, cols);
                        bData = edgePanel;
                        bOff = 0;
                        bStride = panelRowBytes;
                    }
                    for (int row = ic; row < icEnd; row += mr) {
                        int rows = Math.min(mr, icEnd - row);
                        int aOff = a.offset(pc, row);
                        long cOff = call.cOffset + ((long) row * ldc + col) * Float.BYTES;
                        if (direct && rows == mr && cols == nr) {
                            kernel.tile(a.data(), aOff, bData, bOff, bStride, kcb, c, cOff, ldcBytes, pc > 0);
                        } else {
                            kernel.tile(a.data(), aOff, bData, bOff, bStride, kcb, edgeTile, 0, panelRowBytes, false);
                            mergeEdge(c, cOff, ldc, rows, cols, pc > 0);
                        }
                        if (last && call.epilogue != null) call.epilogue.apply(c, cOff, ldc, row, call.columnOrigin + col, rows, cols);
                    }
                }
            }
        }
    }

    /** Copies {@code kcb} rows of {@code cols < nr} floats ({@code ldbBytes} apart from {@code bOff}) into {@link #edgePanel}, zero-padded to {@code nr}. */
    private void packEdgePanel(MemorySegment b, long bOff, long ldbBytes, int kcb, int cols) {
        int nr = kernel.nr;
        for (int p = 0; p < kcb; p++) {
            long to = (long) p * nr * Float.BYTES;
            MemorySegment.copy(b, bOff + p * ldbBytes, edgePanel, to, (long) cols * Float.BYTES);
            for (int j = cols; j < nr; j++) edgePanel.set(FLOAT, to + (long) j * Float.BYTES, 0f);
        }
    }

    /** Stores the valid {@code rows × cols} corner of the edge tile into C, a masked vector per row stretch. */
    private void mergeEdge(MemorySegment c, long cOff, int ldc, int rows, int cols, boolean accumulate) {
        long tileRow = (long) kernel.nr * Float.BYTES;
        for (int i = 0; i < rows; i++) {
            long cRow = cOff + (long) i * ldc * Float.BYTES, tRow = i * tileRow;
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> valid = S.indexInRange(j, cols);
                FloatVector v = FloatVector.fromMemorySegment(S, edgeTile, tRow + j * 4L, ORDER, valid);
                if (accumulate) v = v.add(FloatVector.fromMemorySegment(S, c, cRow + j * 4L, ORDER, valid));
                v.intoMemorySegment(c, cRow + j * 4L, ORDER, valid);
            }
        }
    }

    /** {@code k = 0}: the product is zero, so C is cleared (or kept, when accumulating) and the epilogue still runs. */
    private void emptyProduct(GemmCall call, int m0, int m1, int n0, int n1) {
        for (int i = m0; i < m1; i++) {
            long cRow = call.cOffset + (long) i * call.ldc * Float.BYTES;
            for (int j = n0; j < n1 && !call.accumulate; j++) call.c.set(FLOAT, cRow + j * 4L, 0f);
        }
        if (call.epilogue == null) return;
        for (int i = m0; i < m1; i += kernel.mr) {
            for (int j = n0; j < n1; j += kernel.nr) {
                long off = call.cOffset + ((long) i * call.ldc + j) * Float.BYTES;
                call.epilogue.apply(call.c, off, call.ldc, i, call.columnOrigin + j, Math.min(kernel.mr, m1 - i), Math.min(kernel.nr, n1 - j));
            }
        }
    }
}
