package dev.kiln.backend.cpu.recurrent;

import dev.kiln.interpreter.kernels.DynamicUint8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Quantizes float32 activations to uint8 per run ({@link DynamicUint8}: the range including 0, ties to even) and
 * writes the levels minus the zero point as int32, ready for an integer product: X straight into the packed rows of
 * the input GEMM's A, h into the recurrent product's operand. Scalar on purpose: the values are few (models/lstm: 64
 * for X, 32 per step for h) and {@code x / scale} then {@code rint} must be the interpreter's, to the bit.
 */
final class ActivationQuantizer {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private float scale;

    /** The scale of the last {@link #quantize}. */
    float scale() { return scale; }

    /** {@code n} floats at byte {@code offset} of {@code src} → {@code dst[to + i] = q(x_i) − zp}; returns the scale. */
    float quantize(MemorySegment src, long offset, int n, int[] dst, int to) {
        float lo = 0, hi = 0;
        for (int i = 0; i < n; i++) {
            float v = src.get(F, offset + i * 4L);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        scale = DynamicUint8.scale(lo, hi);
        int zero = DynamicUint8.zeroPoint(lo, scale);
        for (int i = 0; i < n; i++) dst[to + i] = DynamicUint8.quantize(src.get(F, offset + i * 4L), scale, zero) - zero;
        return scale;
    }
}
