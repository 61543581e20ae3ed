package dev.kiln.backend.cpu.qgemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Dequantizes C to float32: {@code y = (acc + bias) · scale}, row {@code i} at byte {@code offset + i·ldc·4} — for
 * dynamic quantization and for groups that end in DequantizeLinear, where the int8 output would be widened again.
 */
public record Dequantize(MemorySegment out, long offset, int ldc, ChannelValues scale, ChannelValues bias) implements QuantEpilogue {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void apply(int[] tile, int stride, int row0, int col0, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            int row = row0 + i;
            long to = offset + ((long) row * ldc + col0) * Float.BYTES;
            for (int j = 0; j < cols; j++) {
                int col = col0 + j;
                double acc = tile[i * stride + j] + (bias == null ? 0 : bias.at(row, col));
                out.set(FLOAT, to + j * 4L, (float) (acc * scale.at(row, col)));
            }
        }
    }
}
