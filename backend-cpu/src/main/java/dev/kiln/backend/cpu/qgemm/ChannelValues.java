package dev.kiln.backend.cpu.qgemm;

/**
 * Per-channel constants of an epilogue (scales, biases): one value for all of C, or one per row or per column.
 * Output channels are C's rows in a convolution ({@code W · unfold(X)}) and its columns in a MatMul.
 */
public record ChannelValues(double[] values, boolean perRow) {
    /** The value for {@code C[row, col]}. */
    double at(int row, int col) {
        return values.length == 1 ? values[0] : values[perRow ? row : col];
    }
}
