package dev.kiln.backend.cpu.qgemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The QLinear epilogue: {@code y = clamp(rint((acc + bias) · multiplier) + zeroPoint, lo, hi)} stored as one byte
 * per element, row {@code i} at {@code offset + i·ldc}. The multiplier is {@code a_scale·b_scale / y_scale}, rounded
 * to the scales' float type as the ONNX reference does, and the product is taken in double, so the result matches
 * the reference interpreter bit for bit; {@code rint} rounds half to even as the spec asks. {@code [lo, hi]} is the
 * output type's range, or narrower where an activation (Relu, Clip) was folded into it.
 */
public record Requantize(MemorySegment out, long offset, int ldc, ChannelValues multiplier, ChannelValues bias, int zeroPoint,
                         int lo, int hi) implements QuantEpilogue {
    @Override
    public void apply(int[] tile, int stride, int row0, int col0, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            int row = row0 + i;
            long to = offset + (long) row * ldc + col0;
            for (int j = 0; j < cols; j++) {
                int col = col0 + j;
                double acc = tile[i * stride + j] + (bias == null ? 0 : bias.at(row, col));
                double q = Math.rint(acc * multiplier.at(row, col)) + zeroPoint;
                out.set(ValueLayout.JAVA_BYTE, to + j, (byte) (int) Math.clamp(q, lo, hi));
            }
        }
    }
}
