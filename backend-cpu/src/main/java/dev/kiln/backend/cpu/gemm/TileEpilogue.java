package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;

/**
 * Work fused into a GEMM: called once per finished register tile of C (after the last depth block), while the
 * tile is still in L1, so bias, activation and residual never cost a separate pass over memory. The micro-kernel's
 * hot loop does not call it; it is one (possibly megamorphic) call per {@code mr × nr} tile, so the CPU backend's
 * code generator can supply generated implementations specialized to an op's epilogue without slowing the GEMM.
 * {@link FusedEpilogue} is the library's general implementation.
 */
@FunctionalInterface
public interface TileEpilogue {
    /**
     * Transforms C's elements {@code (row + i, col + j)} for {@code i < rows, j < cols} in place. The element
     * {@code (row, col)} is at byte {@code tileOffset} of {@code c}; rows are {@code ldc} floats apart. {@code row}
     * and {@code col} are indices in the whole C (for bias and residual lookups), not in the tile.
     */
    void apply(MemorySegment c, long tileOffset, int ldc, int row, int col, int rows, int cols);
}
