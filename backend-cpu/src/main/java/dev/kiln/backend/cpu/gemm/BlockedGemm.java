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
    /** The bias of the rows of the tile in progress, for an epilogue applied in registers. */
    private final float[] tileBias;

    BlockedGemm(MicroKernel kernel, Blocking blocking) {
        this.kernel = kernel;
        this.blocking = blocking;
        Arena arena = Arena.ofAuto();
        int paddedRows = (blocking.mc() + kernel.mr - 1) / kernel.mr * kernel.mr;
        this.aPack = new float[paddedRows * blocking.kc()];
        this.edgeTile = arena.allocate((long) kernel.mr * kernel.nr * Float.BYTES, 64);
        this.edgePanel = arena.allocate((long) blocking.kc() * kernel.nr * Float.BYTES, 64);
        this.tileBias = new float[kernel.mr];
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
        int mr = kernel.mr, nr = kernel.nr;
        // The depth block's micro-panels of B are panelBytes apart: stepped, not recomputed (with divisions) per tile.
        long bBase = call.b.panelOffset(pc, jc), panelBytes = (long) nr * kcb * Float.BYTES;
        if (kcb <= Blocking.SHALLOW_DEPTH) {
            // Shallow: each row tile sweeps a stretch of B that stays in L2, so C is written as mr sequential streams.
            int sweep = Blocking.sweepColumns(kcb, nr);
            for (int jr0 = 0; jr0 < ncb; jr0 += sweep) {
                int jrEnd = Math.min(ncb, jr0 + sweep);
                for (int ir = 0; ir < mcb; ir += mr) {
                    long bOff = bBase + (long) (jr0 / nr) * panelBytes;
                    for (int jr = jr0; jr < jrEnd; jr += nr, bOff += panelBytes) {
                        packedTile(call, aBlock, aBase, ic, mcb, ir, jc, ncb, jr, bOff, kcb, accumulate, last);
                    }
                }
            }
            return;
        }
        long bOff = bBase;
        for (int jr = 0; jr < ncb; jr += nr, bOff += panelBytes) {
            for (int ir = 0; ir < mcb; ir += mr) packedTile(call, aBlock, aBase, ic, mcb, ir, jc, ncb, jr, bOff, kcb, accumulate, last);
        }
    }

    /** The register tile at rows {@code ic + ir}, columns {@code jc + jr} of C, from packed A and B's micro-panel at {@code bOff}. */
    private void packedTile(GemmCall call, float[] aBlock, int aBase, int ic, int mcb, int ir, int jc, int ncb, int jr, long bOff, int kcb,
                            boolean accumulate, boolean last) {
        int mr = kernel.mr, nr = kernel.nr, ldc = call.ldc;
        int rows = Math.min(mr, mcb - ir), row = ic + ir, cols = Math.min(nr, ncb - jr), col = jc + jr;
        long cOff = call.cOffset + ((long) row * ldc + col) * Float.BYTES;
        storeTile(call, aBlock, aBase + ir * kcb, call.b.data(), bOff, (long) nr * Float.BYTES, kcb, cOff, row, col, rows, cols, accumulate, last);
    }

    /**
     * One register tile into C at byte {@code cOff}, then its epilogue after the last depth block: in registers when
     * the call's epilogue allows ({@link GemmCall#inRegisters}), else by {@link TileEpilogue#apply}. Only a whole tile
     * of an off-heap C is stored by the kernel directly, others through the edge tile: a kernel that sees more than
     * one segment implementation at a site stops inlining the accessors and slows severalfold.
     */
    private void storeTile(GemmCall call, float[] a, int aOff, MemorySegment b, long bOff, long bStride, int kcb, long cOff,
                           int row, int col, int rows, int cols, boolean accumulate, boolean last) {
        MemorySegment c = call.c;
        int ldc = call.ldc;
        boolean whole = c.isNative() && rows == kernel.mr && cols == kernel.nr, fused = whole && last && call.inRegisters;
        if (whole) {
            kernel.tile(a, aOff, b, bOff, bStride, kcb, c, cOff, (long) ldc * Float.BYTES, accumulate, fused ? tileBias(call, row) : null,
                    call.lo, call.hi);
        } else {
            kernel.tile(a, aOff, b, bOff, bStride, kcb, edgeTile, 0, (long) kernel.nr * Float.BYTES, false, null, 0f, 0f);
            mergeEdge(c, cOff, ldc, rows, cols, accumulate);
        }
        if (last && !fused && call.epilogue != null) call.epilogue.apply(c, cOff, ldc, row, call.columnOrigin + col, rows, cols);
    }

    /** The call's bias for the {@code mr} rows from {@code row} (zeros without a bias), in {@link #tileBias}. */
    private float[] tileBias(GemmCall call, int row) {
        FusedEpilogue.Bias bias = call.rowBias;
        for (int i = 0; i < kernel.mr; i++) tileBias[i] = bias == null ? 0f : bias.data().get(FLOAT, bias.offset() + (row + i) * 4L);
        return tileBias;
    }

    /**
     * Computes C's rows {@code [m0, m1)} and columns {@code [n0, n1)} ({@code n0} a multiple of {@code nr}) with A
     * packed ahead and B read in place: a full micro-panel of B is {@code kc} rows of {@code nr} floats, {@code ldb}
     * apart, which the micro-kernel reads straight from B; only the last, partial panel is copied, zero-padded, into
     * {@link #edgePanel}. Deep blocks run panel-outer (a B micro-panel is read from L1 by every row tile after the
     * first); shallow ones row-outer over sweeps of B that stay in L2 (see {@link Blocking#SHALLOW_DEPTH}).
     */
    void runInPlace(GemmCall call, int m0, int m1, int n0, int n1) {
        int k = call.packedA.k(), mr = kernel.mr, nr = kernel.nr;
        for (int pc = 0; pc < k; pc += blocking.kc()) {
            int kcb = Math.min(blocking.kc(), k - pc);
            for (int ic = m0; ic < m1; ic += blocking.mc()) {
                int icEnd = Math.min(m1, ic + blocking.mc());
                if (kcb <= Blocking.SHALLOW_DEPTH) {
                    int sweep = Blocking.sweepColumns(kcb, nr);
                    for (int c0 = n0; c0 < n1; c0 += sweep) {
                        int cEnd = Math.min(n1, c0 + sweep), edge = cEnd - (cEnd - c0) % nr;
                        if (edge < cEnd) packEdgePanel(call, pc, kcb, edge, cEnd - edge);
                        for (int row = ic; row < icEnd; row += mr) {
                            for (int col = c0; col < cEnd; col += nr) inPlaceTile(call, pc, kcb, row, icEnd, col, cEnd);
                        }
                    }
                } else {
                    for (int col = n0; col < n1; col += nr) {
                        if (n1 - col < nr) packEdgePanel(call, pc, kcb, col, n1 - col);
                        for (int row = ic; row < icEnd; row += mr) inPlaceTile(call, pc, kcb, row, icEnd, col, n1);
                    }
                }
            }
        }
    }

    /** The register tile at row {@code row}, column {@code col} of C, B in place (or, for a partial panel, from {@link #edgePanel}). */
    private void inPlaceTile(GemmCall call, int pc, int kcb, int row, int rowEnd, int col, int colEnd) {
        int rows = Math.min(kernel.mr, rowEnd - row), cols = Math.min(kernel.nr, colEnd - col);
        boolean partial = cols < kernel.nr;
        MemorySegment b = partial ? edgePanel : call.bInPlace;
        long bOff = partial ? 0 : call.bOffset + ((long) pc * call.ldb + col) * Float.BYTES;
        long bStride = partial ? (long) kernel.nr * Float.BYTES : (long) call.ldb * Float.BYTES;
        long cOff = call.cOffset + ((long) row * call.ldc + col) * Float.BYTES;
        boolean last = pc + kcb == call.packedA.k();
        storeTile(call, call.packedA.data(), call.packedA.offset(pc, row), b, bOff, bStride, kcb, cOff, row, col, rows, cols, pc > 0, last);
    }

    /** Copies B's rows {@code [pc, pc + kcb)}, columns {@code [col, col + cols)} ({@code cols < nr}) into {@link #edgePanel}, zero-padded to {@code nr}. */
    private void packEdgePanel(GemmCall call, int pc, int kcb, int col, int cols) {
        int nr = kernel.nr;
        long bOff = call.bOffset + ((long) pc * call.ldb + col) * Float.BYTES, ldbBytes = (long) call.ldb * Float.BYTES;
        for (int p = 0; p < kcb; p++) {
            long to = (long) p * nr * Float.BYTES;
            MemorySegment.copy(call.bInPlace, bOff + p * ldbBytes, edgePanel, to, (long) cols * Float.BYTES);
            for (int j = cols; j < nr; j++) edgePanel.set(FLOAT, to + (long) j * Float.BYTES, 0f);
        }
    }

    /** Stores the valid {@code rows × cols} corner of the edge tile into C, a masked vector per row stretch. */
    private void mergeEdge(MemorySegment c, long cOff, int ldc, int rows, int cols, boolean accumulate) {
        long tileRow = (long) kernel.nr * Float.BYTES;
        for (int i = 0; i < rows; i++) {
            long cRow = cOff + (long) i * ldc * Float.BYTES, tRow = i * tileRow;
            int j = 0;
            // Whole vectors unmasked: a mask made by indexInRange costs tens of cycles, and the rows of M's last,
            // partial row tile (M = 16, 32) are whole.
            for (int upper = S.loopBound(cols); j < upper; j += S.length()) {
                FloatVector v = FloatVector.fromMemorySegment(S, edgeTile, tRow + j * 4L, ORDER);
                if (accumulate) v = v.add(FloatVector.fromMemorySegment(S, c, cRow + j * 4L, ORDER));
                v.intoMemorySegment(c, cRow + j * 4L, ORDER);
            }
            if (j < cols) {
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
