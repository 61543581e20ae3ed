package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked integer kernel: an {@link #mr} × {@link #nr} int32 tile held in vector registers, updated by
 * {@code k} rank-1 steps from a packed A micro-panel ({@code mr} rows of {@code k} ints, row-major, zero points
 * already subtracted) and a packed B micro-panel ({@code k}-major, {@code nr} ints per step). The operands are the
 * int8/uint8 values widened to int32 at pack time: on this JDK the Vector API has no widening multiply-add
 * ({@code vpmaddwd}/{@code vpdpbusd}), and C2's SuperWord forms {@code MulAddVS2VI} only for loops whose two
 * operands are both arrays and whose accumulator lives in memory (measured at a fifth of this kernel's speed, see
 * docs/quantization.md), so {@code vpmulld + vpaddd} on int32 lanes is the fastest exact product the JIT emits here.
 * The sums are exact and wrap like ONNX int32 arithmetic.
 *
 * <p>One subclass per vector species, each with its species in a {@code static final} field (the Vector API
 * compiles to vector instructions only for JIT-time constant species). One call covers one K block: the tile is
 * written once, row {@code i} at {@code c[i·nr]}, for {@link QuantGemm} to accumulate and finally hand on.
 */
abstract sealed class QuantMicroKernel permits QuantKernel6x2v128, QuantKernel6x2v256, QuantKernel6x2v512 {
    /** Rows of the register tile. */
    final int mr;
    /** Columns of the register tile: two vectors. */
    final int nr;

    QuantMicroKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * {@code c[0:mr·nr] = Apanel · Bpanel} over {@code k} steps: A's row {@code i}, step {@code p} at
     * {@code a[aOff + i·lda + p]}, B's step {@code p} at {@code b[bOff + p·nr]}.
     */
    abstract void tile(int[] a, int aOff, int lda, int[] b, int bOff, int k, int[] c);

    /** The kernel for {@code species}: 128, 256 or 512 bits. */
    static QuantMicroKernel forSpecies(VectorSpecies<Integer> species) {
        return switch (species.vectorBitSize()) {
            case 128 -> new QuantKernel6x2v128();
            case 256 -> new QuantKernel6x2v256();
            case 512 -> new QuantKernel6x2v512();
            default -> throw new IllegalArgumentException("no integer GEMM micro-kernel for " + species);
        };
    }
}
