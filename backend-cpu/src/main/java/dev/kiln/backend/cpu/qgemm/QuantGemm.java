package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8×int8 → int32 GEMM over packed operands, one thread's share at a time, each finished register tile handed
 * to a {@link QuantEpilogue}. Loop nest {@code jc → ir → jr}: a block of B panels sized to half of L2
 * ({@link #B_BLOCK_BYTES}) is reused by every A micro-panel, and an A micro-panel ({@code mr × k} ints, at most
 * 6 × 1365 in L1's 32 KiB) is reused by every B panel of the block. The whole of K runs in each micro-kernel call,
 * so the int32 tile never leaves registers before its epilogue. Holds its tile scratch: one instance per thread.
 */
public final class QuantGemm {
    /** Packed B kept in L2 while the A panels stream past it: half of Zen 4's 1 MiB. */
    public static final long B_BLOCK_BYTES = 512 * 1024;

    private final QuantMicroKernel kernel;
    private final int[] tile;

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
        int bPanels = b.panels();
        int blockPanels = (int) Math.max(1, B_BLOCK_BYTES / Math.max(1L, (long) k * nr * Integer.BYTES));
        for (int jc = 0; jc < bPanels; jc += blockPanels) {
            int jcEnd = Math.min(bPanels, jc + blockPanels);
            for (int ir = panelFrom; ir < panelTo; ir++) {
                int row = ir * mr, rows = Math.min(mr, a.m() - row), aOff = ir * mr * k;
                for (int jr = jc; jr < jcEnd; jr++) {
                    int col = jr * nr;
                    kernel.tile(a.data(), aOff, b.data(), jr * k * nr, k, tile);
                    epilogue.apply(tile, nr, row, columnOrigin + col, rows, Math.min(nr, b.n() - col));
                }
            }
        }
    }
}
