package dev.kiln.backend.cpu.gemm;

/**
 * Cache blocking of the GotoBLAS/BLIS loop nest {@code jc (nc) → pc (kc) → ic (mc) → jr (nr) → ir (mr)}:
 * <ul>
 *   <li>{@code kc}: depth of one packed panel. A B micro-panel ({@code kc × nr} floats) is reused by every
 *   {@code mr}-row micro-panel of A in the {@code ir} loop, so it is sized to L1d: {@code kc·nr·4} = 32 KiB, Zen 4's
 *   L1d — {@code kc = 256} for {@code nr = 32}, 512 for {@code nr = 16}; the small A micro-panel (6 KiB) streams
 *   from L2 beside it. A deep panel amortizes the micro-kernel's call and its C tile's load and store: measured on
 *   the 512-bit kernel with its panels in cache, 93% of the FMA peak at {@code kc = 256} against about 80% at 128
 *   (the whole 512³ GEMM moved within the machine's noise between 128 and 512).</li>
 *   <li>{@code mc}: rows of A packed per block. The packed A block ({@code mc × kc}) is reused by every B
 *   micro-panel in the {@code jr} loop, so it stays in L2: {@code mc·kc·4} is held to about half of L2 (512 KiB of
 *   1 MiB), rounded up to a multiple of {@code mr} — up, so that 512 rows make one block, not 510 and a block of
 *   2 rows that would be packed and computed as edge tiles alone.</li>
 *   <li>{@code nc}: columns per outer block. B is packed once ahead of time, so nc only bounds the B block
 *   ({@code kc × nc}) that the {@code ic} loop re-reads from L3; 4096 columns × kc stays within a quarter of the
 *   32 MiB L3 and covers every layer width of the target models in one block, so A is packed once per (pc, ic).</li>
 *   <li>Shallow depth blocks ({@code kcb ≤} {@link #SHALLOW_DEPTH}, a pointwise convolution over few channels, a
 *   stem's 27): C is large against the work ({@code kcb} multiply-adds per element of C), so the order that keeps
 *   C's stores streaming wins: each row tile sweeps {@link #sweepColumns} columns of B (a stretch of
 *   {@link #SWEEP_B_BYTES}, which stays in L2 for the next row tile) and writes {@code mr} sequential runs of C.
 *   The usual panel-outer order writes every row of the block a micro-panel at a time, far more streams than the
 *   hardware prefetchers follow, so every C line was a demand miss.</li>
 * </ul>
 */
record Blocking(int kc, int mc, int nc) {
    static final int L1D_BYTES = 32 * 1024;
    static final int L2_BYTES = 1024 * 1024;
    static final int NC = 4096;
    /** Depth blocks up to this deep are run row-tile-outer (see above). */
    static final int SHALLOW_DEPTH = 64;
    /** Bytes of B that one row tile's sweep reads in the shallow order: a quarter of L2. */
    static final long SWEEP_B_BYTES = 256 * 1024;

    Blocking {
        if (kc < 1 || mc < 1 || nc < 1) throw new IllegalArgumentException("bad blocking " + kc + "/" + mc + "/" + nc);
    }

    /** Columns of B (a multiple of {@code nr}) that a row tile sweeps in the shallow order, for a depth block of {@code kcb}. */
    static int sweepColumns(int kcb, int nr) {
        return Math.max(nr, (int) (SWEEP_B_BYTES / ((long) kcb * Float.BYTES)) / nr * nr);
    }

    /** The blocking for a kernel's register tile, from the cache sizes above. */
    static Blocking forTile(int mr, int nr) {
        int kc = Math.clamp(L1D_BYTES / (nr * Float.BYTES), 64, 512);
        int mc = (L2_BYTES / 2 / (kc * Float.BYTES) + mr - 1) / mr * mr;
        int nc = NC / nr * nr;
        return new Blocking(kc, mc, nc);
    }
}
