package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;

/**
 * The right-hand operand B ({@code k × n}) of a GEMM packed for one micro-kernel: for each depth block of
 * {@code kc} rows, the columns are cut into micro-panels of {@code nr} columns (the last zero-padded), each stored
 * k-major ({@code nr} contiguous floats per row of B). The micro-kernel then reads B strictly sequentially. Weights
 * are constant, so a model packs them once, ahead of time, and every call reuses the packing.
 *
 * @param data little-endian float32, {@link #byteSize()} bytes, 64-byte aligned
 */
public record PackedMatrix(int k, int n, int nr, int kc, MemorySegment data) {
    public PackedMatrix {
        if (k < 0 || n < 0 || nr < 1 || kc < 1) throw new IllegalArgumentException("bad packed shape " + k + "×" + n);
        if (data.byteSize() < byteSize(k, n, nr)) throw new IllegalArgumentException("packed data too small");
    }

    /** Bytes a packing of a {@code k × n} matrix takes for micro-panels {@code nr} wide. */
    public static long byteSize(int k, int n, int nr) {
        return (long) k * paddedColumns(n, nr) * Float.BYTES;
    }

    public long byteSize() { return byteSize(k, n, nr); }

    /** {@code n} rounded up to whole micro-panels. */
    static int paddedColumns(int n, int nr) { return (n + nr - 1) / nr * nr; }

    /** Byte offset of the micro-panel holding columns {@code [col, col + nr)} in the depth block starting at {@code pc}. */
    long panelOffset(int pc, int col) {
        int kcb = Math.min(kc, k - pc);
        return ((long) pc * paddedColumns(n, nr) + (long) (col / nr) * nr * kcb) * Float.BYTES;
    }

    /** Byte offset of row {@code r} of B in its depth block's first micro-panel (the next panel is {@link #panelBytes} on). */
    public long rowOffset(int r) {
        int pc = r / kc * kc;
        return panelOffset(pc, 0) + (long) (r - pc) * nr * Float.BYTES;
    }

    /** Bytes from one micro-panel to the next in the depth block holding row {@code r}. */
    public long panelBytes(int r) {
        int pc = r / kc * kc;
        return (long) Math.min(kc, k - pc) * nr * Float.BYTES;
    }
}
