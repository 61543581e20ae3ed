package dev.kiln.backend.cpu.qgemm;

/**
 * What becomes of a finished int32 tile of {@code C = A·B}: stored as int32, requantized to int8/uint8, or
 * dequantized to float. Called once per register tile, right after the micro-kernel, while the tile is in L1.
 */
public interface QuantEpilogue {
    /**
     * Consumes the valid {@code rows × cols} corner of {@code tile} (row {@code i} at {@code tile[i·stride]}), which
     * holds {@code C[row0 + i, col0 + j]}; the epilogue may overwrite the tile.
     */
    void apply(int[] tile, int stride, int row0, int col0, int rows, int cols);
}
