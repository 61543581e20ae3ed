package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.qgemm.QuantEpilogue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The input GEMM's epilogue of a dynamically quantized LSTM: {@code gates[row, col] = (float) acc · scale[col] +
 * bias[col]} in float32, {@code scale[col] = x_scale · w_scale[col]} set per run ({@link #scale}), so the product is
 * dequantized exactly as the reference kernel does; the bias is Wb + Rb (or absent).
 */
final class GateDequantize implements QuantEpilogue {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final float[] weightScale;
    private final float[] bias;
    private final float[] scale;
    private MemorySegment gates;

    GateDequantize(float[] weightScale, float[] bias) {
        this.weightScale = weightScale;
        this.bias = bias;
        this.scale = new float[weightScale.length];
    }

    /** Targets {@code gates} (row-major, one row of {@code scale.length} per sequence row) with x's scale. */
    void scale(MemorySegment gates, float xScale) {
        this.gates = gates;
        for (int j = 0; j < scale.length; j++) scale[j] = xScale * weightScale[j];
    }

    @Override
    public void apply(int[] tile, int stride, int row0, int col0, int rows, int cols) {
        int n = scale.length;
        for (int i = 0; i < rows; i++) {
            long to = ((long) (row0 + i) * n + col0) * Float.BYTES;
            for (int j = 0; j < cols; j++) {
                float v = (float) tile[i * stride + j] * scale[col0 + j];
                gates.set(F, to + j * 4L, bias == null ? v : v + bias[col0 + j]);
            }
        }
    }
}
