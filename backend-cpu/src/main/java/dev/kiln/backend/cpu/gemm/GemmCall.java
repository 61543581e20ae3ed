package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;

/**
 * The operands of the GEMM in progress, held in one mutable object per {@link Gemm} that every thread reads, so
 * that a call allocates nothing. Written by the calling thread before the work is handed to the pool (whose
 * hand-off publishes it) and cleared after, so no segment stays reachable between calls.
 */
final class GemmCall {
    MemorySegment a;
    /** A packed ahead of time, or null when A is packed per block from {@link #a}. */
    PackedA packedA;
    long aOffset;
    int lda;
    boolean transA;
    PackedMatrix b;
    /** B read in place (row-major, {@link #ldb} floats per row, {@link #n} columns) when {@link #b} is null. */
    MemorySegment bInPlace;
    long bOffset;
    int ldb;
    int n;
    MemorySegment c;
    long cOffset;
    int ldc;
    int m;
    boolean accumulate;
    TileEpilogue epilogue;
    /** The index the epilogue gives C's first column (a block of a wider matrix passes its place in it). */
    int columnOrigin;
    /**
     * Whether the micro-kernel applies the epilogue to whole tiles in registers ({@link FusedEpilogue#inRegisters}):
     * per-row bias {@link #rowBias} (null: none) then a clamp to {@code [lo, hi]}.
     */
    boolean inRegisters;
    FusedEpilogue.Bias rowBias;
    float lo;
    float hi;

    void set(int m, MemorySegment a, long aOffset, int lda, boolean transA, PackedA packedA, PackedMatrix b,
             MemorySegment c, long cOffset, int ldc, boolean accumulate, TileEpilogue epilogue) {
        this.m = m;
        this.a = a;
        this.packedA = packedA;
        this.aOffset = aOffset;
        this.lda = lda;
        this.transA = transA;
        this.b = b;
        this.c = c;
        this.cOffset = cOffset;
        this.ldc = ldc;
        this.accumulate = accumulate;
        this.epilogue = epilogue;
        this.columnOrigin = 0;
        this.bInPlace = null;
        this.inRegisters = epilogue instanceof FusedEpilogue f && f.inRegisters();
        if (inRegisters) {
            FusedEpilogue f = (FusedEpilogue) epilogue;
            FusedEpilogue.Clip clip = (FusedEpilogue.Clip) f.activation();
            this.rowBias = f.bias();
            this.lo = clip.min();
            this.hi = clip.max();
        }
    }

    /** As {@link #set} for A packed ahead and B read in place. */
    void setInPlace(PackedA packedA, MemorySegment b, long bOffset, int ldb, int n, MemorySegment c, long cOffset, int ldc,
                    TileEpilogue epilogue) {
        set(packedA.m(), null, 0, 0, false, packedA, null, c, cOffset, ldc, false, epilogue);
        this.bInPlace = b;
        this.bOffset = bOffset;
        this.ldb = ldb;
        this.n = n;
    }

    void clear() {
        a = null;
        packedA = null;
        b = null;
        bInPlace = null;
        c = null;
        epilogue = null;
        rowBias = null;
    }
}
