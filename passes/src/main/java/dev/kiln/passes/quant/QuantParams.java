package dev.kiln.passes.quant;

import dev.kiln.ir.DType;

/**
 * One tensor's quantization: {@code real = scale * (q - zeroPoint)} with q saturated to the range of {@code type}
 * (INT8 or UINT8). Ranges always contain 0, so that 0 (padding, Relu's floor) is exact.
 */
public record QuantParams(double scale, int zeroPoint, DType type) {
    public static final double MIN_SCALE = 1e-12;

    public static int qmin(DType type) { return type == DType.U8 ? 0 : -128; }

    public static int qmax(DType type) { return type == DType.U8 ? 255 : 127; }

    /**
     * Parameters for values observed in [lo, hi]. Symmetric int8: zero point 0, scale = max|x| / 127. A non-negative
     * range (a Relu's output) and uint8 are asymmetric, so all 256 levels cover the values and saturating at the
     * zero point is the Relu.
     */
    public static QuantParams of(double lo, double hi, DType type) {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        int qmin = qmin(type);
        int qmax = qmax(type);
        if (type == DType.I8 && lo < 0) {
            double scale = Math.max(Math.max(-lo, hi) / 127, MIN_SCALE);
            return new QuantParams((float) scale, 0, type);
        }
        double scale = (float) Math.max((hi - lo) / (qmax - qmin), MIN_SCALE);
        int zero = (int) Math.max(qmin, Math.min(qmax, Math.round(qmin - lo / scale)));
        return new QuantParams(scale, zero, type);
    }

    /** The smallest value the tensor can hold. */
    public double lowest() { return scale * (qmin(type) - zeroPoint); }

    /** The largest value the tensor can hold. */
    public double highest() { return scale * (qmax(type) - zeroPoint); }

    /** QuantizeLinear: round half to even, saturate. */
    public int quantize(double x) {
        double q = Math.rint(x / (float) scale) + zeroPoint;
        return (int) Math.max(qmin(type), Math.min(qmax(type), q));
    }

    /** QuantizeLinear then DequantizeLinear: the value the int8 model sees. */
    public double fakeQuantize(double x) { return (float) scale * (quantize(x) - zeroPoint); }
}
