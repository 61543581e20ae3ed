package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8×int8 → int32 GEMM over packed operands, one thread's share at a time, each finished register tile handed
 * to a {@link QuantEpilogue}. Loop nest {@code jc → pc → ir → jr}: a block of B panels sized to half of L2
 * ({@link #B_BLOCK_BYTES}) and one K block deep is reused by every A micro-panel block, which is reused by every B
 * panel of the block. With K up to {@link #UNBLOCKED_MAX_K} a tile goes from the registers straight to its epilogue;
 * deeper products carry the tiles' partial sums between K blocks in a scratch of their own. Holds its scratch: one
 * instance per thread.
 */
public final class QuantGemm {
    /** Packed B kept in L2 while the A panels stream past it: half of Zen 4's 1 MiB. */
    public static final long B_BLOCK_BYTES = 512 * 1024;

    /**
     * Depth of one K block when K is blocked: an A micro-panel block ({@code 6 × 256} ints, 6 KiB) stays in L1 while
     * the B panels of the block ({@code 256 × 32} ints, 32 KiB each, the block half of L2) stream past it.
     */
    static final int KC = 256;
    /**
     * Up to this K the product runs unblocked: the A micro-panel ({@code 6 × 1024} ints, 24 KiB) still fits L1, and
     * carrying partial sums between blocks measured slower on 512³ (the sums of a B block's rows outgrow L2).
     */
    static final int UNBLOCKED_MAX_K = 1024;

    private final QuantMicroKernel kernel;
    private final int[] tile;
    /** Partial sums of the tiles of one B block while K blocks remain, grown on demand. */
    private int[] sums = new int[0];

    /** A GEMM with the micro-kernel for {@code species} (tests pick the smallest and the largest). */
    public QuantGemm(VectorSpecies<Integer> species) {
        this.kernel = QuantMicroKernel.forSpecies(species);
        this.tile = new int[kernel.mr * kernel.nr];
    }

    /** A GEMM with the machine's widest vectors. */
    public QuantGemm() { this(IntVector.SPECIES_PREFERRED); }

    public int mr() { return kernel.mr; }

    public int nr() { return kernel.nr; }

    /** {@code a} packed for this GEMM's kernel. */
    public PackedLeft packLeft(QuantMatrix a) { return QuantPacking.left(a, kernel); }

    /** {@code b} packed for this GEMM's kernel. */
    public PackedRight packRight(QuantMatrix b) { return QuantPacking.right(b, kernel); }

    /** Empty packed-B storage for {@code k × n}, to be filled by {@link QuantPacking} or an image packer. */
    public PackedRight newRight(int k, int n) { return PackedRight.allocate(k, n, kernel.nr); }

    /** Empty packed-A storage for {@code m × k}. */
    public PackedLeft newLeft(int m, int k) { return PackedLeft.allocate(m, k, kernel.mr); }

    /** The whole product {@code a · b} through {@code epilogue}. */
    public void multiply(PackedLeft a, PackedRight b, QuantEpilogue epilogue) {
        multiply(a, b, epilogue, 0, a.panels(), 0);
    }

    /**
     * A panels {@code [panelFrom, panelTo)} (rows {@code panelFrom·mr …}) times all of {@code b}, whose column 0 is
     * C's column {@code columnOrigin} (b a block of a wider B).
     */
    public void multiply(PackedLeft a, PackedRight b, QuantEpilogue epilogue, int panelFrom, int panelTo, int columnOrigin) {
        int k = a.k(), mr = kernel.mr, nr = kernel.nr;
        if (b.k() != k || a.mr() != mr || b.nr() != nr) throw new IllegalArgumentException("operands packed for another kernel or K");
        int bPanels = b.panels(), kc = k <= UNBLOCKED_MAX_K ? Math.max(k, 1) : KC;
        int blockPanels = (int) Math.max(1, B_BLOCK_BYTES / ((long) kc * nr * Integer.BYTES));
        for (int jc = 0; jc < bPanels; jc += blockPanels) {
            int jcEnd = Math.min(bPanels, jc + blockPanels), width = (jcEnd - jc) * nr;
            if (kc < k && sums.length < (panelTo - panelFrom) * mr * width) sums = new int[(panelTo - panelFrom) * mr * width];
            for (int pc = 0; pc < Math.max(k, 1); pc += kc) {
                int kcb = Math.min(kc, k - pc);
                boolean first = pc == 0, last = pc + kc >= k;
                for (int ir = panelFrom; ir < panelTo; ir++) {
                    int row = ir * mr, rows = Math.min(mr, a.m() - row), aOff = ir * mr * k + pc;
                    for (int jr = jc; jr < jcEnd; jr++) {
                        int col = jr * nr;
                        kernel.tile(a.data(), aOff, k, b.data(), jr * k * nr + pc * nr, Math.max(kcb, 0), tile);
                        if (!(first && last)) carry((ir - panelFrom) * mr * width + (jr - jc) * nr, width, first, last);
                        if (last) epilogue.apply(tile, nr, row, columnOrigin + col, rows, Math.min(nr, b.n() - col));
                    }
                }
            }
        }
    }

    /**
     * Carries a tile's sums over K blocks in {@link #sums} (row {@code i} at {@code base + i·width}): the first block
     * stores them, later ones add to them, and the last adds them into the tile for the epilogue.
     */
    private void carry(int base, int width, boolean first, boolean last) {
        int mr = kernel.mr, nr = kernel.nr;
        for (int i = 0; i < mr; i++) {
            for (int j = 0, at = base + i * width, t = i * nr; j < nr; j++, at++, t++) {
                if (first) sums[at] = tile[t];
                else if (last) tile[t] += sums[at];
                else sums[at] += tile[t];
            }
        }
    }
}
