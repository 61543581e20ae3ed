package dev.kiln.backend.cpu.qgemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Stores C as little-endian int32 (MatMulInteger, ConvInteger): row {@code i} at byte {@code offset + i·ldc·4}. */
public record Int32Store(MemorySegment out, long offset, int ldc) implements QuantEpilogue {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void apply(int[] tile, int stride, int row0, int col0, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(tile, i * stride, out, INT, offset + ((long) (row0 + i) * ldc + col0) * Integer.BYTES, cols);
        }
    }
}
