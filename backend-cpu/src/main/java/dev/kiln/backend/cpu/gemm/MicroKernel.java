package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The register-blocked inner kernel: an {@link #mr} × {@link #nr} tile of C held in vector registers, updated by
 * {@code kc} rank-1 steps from a packed A micro-panel ({@code mr} rows of {@code kc} floats, row-major: step
 * {@code p} broadcasts one float from each row, six sequential streams that L1 serves as well as one) and a packed
 * B micro-panel (k-major, {@code nr} floats per step, loaded as vectors). One subclass per vector species, each
 * with its species in a {@code static final} field: the Vector API is only compiled to vector instructions when
 * the species is a JIT-time constant, so the species cannot be a field or a parameter of a shared body. The tile is
 * stored to C once, after the whole K panel, so C traffic is {@code mr·nr} loads and stores per {@code kc·mr·nr}
 * multiply-adds.
 *
 * <p>The A panel is a heap array (offset in floats): a float read from it is a plain load that the JIT folds into
 * the broadcast, where a segment read goes through the int bits (load, move, broadcast: two more FP-pipe uops per
 * row per step, which measured about 10% of the kernel's speed). B and C offsets are in bytes, little-endian float32. The caller guarantees the tile lies inside C: edge
 * tiles are computed into a scratch tile first (see {@link BlockedGemm}).
 */
abstract sealed class MicroKernel permits Kernel6x2v128, Kernel6x2v256, Kernel6x2v512 {
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Rows of the register tile (rows of A per micro-panel). */
    final int mr;
    /** Columns of the register tile (columns of B per micro-panel): a multiple of the vector length. */
    final int nr;

    MicroKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * {@code C[0:mr, 0:nr] (+)= Apanel · Bpanel} over {@code kc} steps (A's row {@code i}, step {@code p} at float
     * {@code aOff + i·kc + p}; B's step {@code p}, {@code nr} floats, at byte {@code bOff + p·ldbBytes}: {@code nr·4}
     * in a packed micro-panel, a row's length in a row-major B read in place); C row {@code i} starts at
     * {@code cOff + i·ldcBytes}. With {@code accumulate} false C is overwritten (and need not be initialized).
     * With {@code rowBias} (not null: {@code mr} floats, one per row of the tile) the tile is stored as
     * {@code min(max(x + rowBias[i], lo), hi)}: a convolution's bias and Relu/Clip applied while the tile is still in
     * registers, which saves the epilogue's second pass over it (for a shallow product such as a pointwise
     * convolution over 16 channels, that pass cost 40% of the GEMM).
     */
    abstract void tile(float[] a, int aOff, MemorySegment b, long bOff, long ldbBytes, int kc,
                       MemorySegment c, long cOff, long ldcBytes, boolean accumulate, float[] rowBias, float lo, float hi);

    /** The kernel for {@code species}: 128, 256 or 512 bits. */
    static MicroKernel forSpecies(VectorSpecies<Float> species) {
        return switch (species.vectorBitSize()) {
            case 128 -> new Kernel6x2v128();
            case 256 -> new Kernel6x2v256();
            case 512 -> new Kernel6x2v512();
            default -> throw new IllegalArgumentException("no GEMM micro-kernel for " + species);
        };
    }
}
