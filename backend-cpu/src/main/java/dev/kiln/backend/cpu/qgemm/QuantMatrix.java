package dev.kiln.backend.cpu.qgemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An int8 or uint8 matrix in memory with its zero points: element {@code (i, j)} is the byte at
 * {@code offset + i·ld + j} ({@code offset + j·ld + i} when {@code transposed}), read as signed or
 * {@code unsigned}. {@code zeroPoints} holds one value for the whole matrix, or one per row ({@code perRow}) or
 * per column; packing subtracts it, so the kernels multiply real integers and need no correction terms.
 */
public record QuantMatrix(MemorySegment data, long offset, int rows, int cols, int ld, boolean transposed, boolean unsigned,
                          int[] zeroPoints, boolean perRow) {
    public QuantMatrix {
        int along = perRow ? rows : cols;
        if (zeroPoints.length != 1 && zeroPoints.length != along) {
            throw new IllegalArgumentException(zeroPoints.length + " zero points for " + along + (perRow ? " rows" : " columns"));
        }
    }

    /** A row-major matrix with one zero point. */
    public static QuantMatrix rowMajor(MemorySegment data, long offset, int rows, int cols, boolean unsigned, int zeroPoint) {
        return new QuantMatrix(data, offset, rows, cols, cols, false, unsigned, new int[] {zeroPoint}, false);
    }

    /** Element {@code (i, j)} minus its zero point. */
    int shifted(int i, int j) {
        long at = offset + (transposed ? (long) j * ld + i : (long) i * ld + j);
        byte v = data.get(ValueLayout.JAVA_BYTE, at);
        int zero = zeroPoints.length == 1 ? zeroPoints[0] : zeroPoints[perRow ? i : j];
        return (unsigned ? v & 0xFF : v) - zero;
    }
}
