package dev.kiln.backend.cpu.gemm;

/**
 * The left-hand operand A ({@code m × k}) of a GEMM packed once for one micro-kernel — in a model, a convolution's
 * weights, which are constant, so no call has to pack them again. For each depth block of {@code kc} columns,
 * the rows are cut into micro-panels of {@code mr} rows (the last zero-padded), each row-major ({@code kcb}
 * floats per row): exactly the layout {@link BlockedGemm} packs A into per call, so a block of A is a slice of
 * {@link #data}. On the heap, as the per-call packing is: the micro-kernel's broadcasts read plain array floats.
 */
public record PackedA(int m, int k, int mr, int kc, float[] data) {
    public PackedA {
        if (m < 0 || k < 0 || mr < 1 || kc < 1) throw new IllegalArgumentException("bad packed shape " + m + "×" + k);
        if (data.length < floats(m, k, mr)) throw new IllegalArgumentException("packed data too small");
    }

    /** Floats a packing of an {@code m × k} matrix takes for micro-panels {@code mr} rows high. */
    static int floats(int m, int k, int mr) {
        return Math.multiplyExact(paddedRows(m, mr), k);
    }

    static int paddedRows(int m, int mr) { return (m + mr - 1) / mr * mr; }

    /** Index in {@link #data} of row {@code row} (a multiple of {@code mr}) in the depth block starting at {@code pc}. */
    int offset(int pc, int row) {
        int kcb = Math.min(kc, k - pc);
        return pc * paddedRows(m, mr) + row * kcb;
    }
}
