package dev.kiln.interpreter.kernels;

/**
 * The uint8 quantization that the dynamically quantized recurrent ops pick per run for an activation, in float32 as
 * ONNX Runtime computes it: the range {@code [min(lo, 0), max(hi, 0)]}, {@code scale = (max − min) / 255} (1 for a
 * range of one value), {@code zero point = rint(clamp(−min / scale, 0, 255))}, {@code q = clamp(rint(x / scale) + zp,
 * 0, 255)}, ties to even. It equals DynamicQuantizeLinear wherever that is defined (not all zeros). The one
 * definition: the CPU backend's kernels derive their parameters here too.
 */
public final class DynamicUint8 {
    private DynamicUint8() {}

    /** The scale for observed extremes {@code lo ≤ hi}. */
    public static float scale(float lo, float hi) {
        float min = Math.min(lo, 0f), max = Math.max(hi, 0f);
        return max == min ? 1f : (max - min) / 255f;
    }

    /** The zero point for the observed minimum {@code lo} and the {@link #scale}. */
    public static int zeroPoint(float lo, float scale) {
        float min = Math.min(lo, 0f);
        return (int) Math.rint(Math.max(0f, Math.min(255f, 0f - min / scale)));
    }

    /** {@code x} quantized. */
    public static int quantize(float x, float scale, int zeroPoint) {
        return (int) Math.max(0, Math.min(255, Math.rint(x / scale) + zeroPoint));
    }
}
