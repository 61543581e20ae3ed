package dev.kiln.ir.tensor;

import dev.kiln.ir.DType;

/**
 * Bit-level conversions for the small float formats (f16, bf16, the float8 family, f4e2m1, f8e8m0), rounding to
 * nearest even as ONNX's Cast does. {@code saturate} chooses Cast's {@code saturate=1} behaviour for out-of-range
 * values (clamp to the largest finite value) over overflow to infinity or NaN.
 */
public final class NumericFormats {
    private NumericFormats() {}

    /** Decodes the low bits of {@code bits} as a value of {@code type}. */
    public static double decode(DType type, int bits) {
        return switch (type) {
            case F16 -> Float.float16ToFloat((short) bits);
            case BF16 -> Float.intBitsToFloat((bits & 0xFFFF) << 16);
            case F8E4M3FN -> decodeMini(bits, 4, 3, 7, Variant.FN);
            case F8E4M3FNUZ -> decodeMini(bits, 4, 3, 8, Variant.FNUZ);
            case F8E5M2 -> decodeMini(bits, 5, 2, 15, Variant.IEEE);
            case F8E5M2FNUZ -> decodeMini(bits, 5, 2, 16, Variant.FNUZ);
            case F4E2M1 -> decodeMini(bits, 2, 1, 1, Variant.NO_SPECIALS);
            case F8E8M0 -> (bits & 0xFF) == 0xFF ? Double.NaN : Math.scalb(1.0, (bits & 0xFF) - 127);
            default -> throw new IllegalArgumentException(type + " is not a small float format");
        };
    }

    /** Encodes {@code v} as {@code type}, rounding to nearest even (f8e8m0: rounding up, ONNX Cast's default). */
    public static int encode(DType type, double v, boolean saturate) {
        return switch (type) {
            case F16 -> (double) (float) v == v || Double.isNaN(v)
                    ? Float.floatToFloat16((float) v) & 0xFFFF
                    : encodeMini(v, 5, 10, 15, Variant.IEEE, false); // direct, so a double is rounded only once
            case BF16 -> (double) (float) v == v || Double.isNaN(v) ? bf16((float) v) : encodeMini(v, 8, 7, 127, Variant.IEEE, false);
            case F8E4M3FN -> encodeMini(v, 4, 3, 7, Variant.FN, saturate);
            case F8E4M3FNUZ -> encodeMini(v, 4, 3, 8, Variant.FNUZ, saturate);
            case F8E5M2 -> encodeMini(v, 5, 2, 15, Variant.IEEE, saturate);
            case F8E5M2FNUZ -> encodeMini(v, 5, 2, 16, Variant.FNUZ, saturate);
            case F4E2M1 -> encodeMini(v, 2, 1, 1, Variant.NO_SPECIALS, true);
            case F8E8M0 -> encodeE8M0(v, saturate, E8M0Rounding.UP);
            default -> throw new IllegalArgumentException(type + " is not a small float format");
        };
    }

    /** How Cast rounds a value that is not a power of two to f8e8m0 (its {@code round_mode}). */
    public enum E8M0Rounding {
        /** To the next larger power of two. */
        UP,
        /** To the next smaller power of two. */
        DOWN,
        /** To the nearer power of two in the mantissa, ties up. */
        NEAREST
    }

    /**
     * Encodes {@code v} as f8e8m0, a bare power-of-two exponent: the sign is dropped (it is a scale format), zero
     * and values below 2^-127 give the smallest code, NaN gives 0xFF, and values past 2^127 give 0xFE when
     * saturating, else 0xFF.
     */
    public static int encodeE8M0(double v, boolean saturate, E8M0Rounding rounding) {
        if (Double.isNaN(v)) return 0xFF;
        double a = Math.abs(v);
        if (Double.isInfinite(a)) return saturate ? 0xFE : 0xFF;
        if (a == 0) return 0;
        int exp = Math.getExponent(a);
        double mantissa = Math.scalb(a, -exp); // in [1, 2)
        boolean up = switch (rounding) {
            case UP -> mantissa > 1;
            case DOWN -> false;
            case NEAREST -> mantissa >= 1.5;
        };
        int code = exp + 127 + (up ? 1 : 0);
        if (code < 0) return 0;
        if (code > 254) return saturate ? 0xFE : 0xFF;
        return code;
    }

    /** How a format spends its top codes: IEEE (inf and NaN), FN (only S.1111.111 is NaN), FNUZ (NaN is -0). */
    private enum Variant { IEEE, FN, FNUZ, NO_SPECIALS }

    private static int bf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return ((x >>> 16) | 0x40) & 0xFFFF;
        int roundingBias = 0x7FFF + ((x >>> 16) & 1);
        return ((x + roundingBias) >>> 16) & 0xFFFF;
    }

    private static double decodeMini(int bits, int eBits, int mBits, int bias, Variant variant) {
        int total = 1 + eBits + mBits;
        bits &= (1 << total) - 1;
        boolean negative = (bits >>> (total - 1)) != 0;
        int e = (bits >>> mBits) & ((1 << eBits) - 1);
        int m = bits & ((1 << mBits) - 1);
        int eMax = (1 << eBits) - 1;
        switch (variant) {
            case FNUZ -> {
                if (bits == 1 << (total - 1)) return Double.NaN;
            }
            case FN -> {
                if (e == eMax && m == (1 << mBits) - 1) return Double.NaN;
            }
            case IEEE -> {
                if (e == eMax) return m == 0 ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
            }
            case NO_SPECIALS -> { }
        }
        double magnitude = e == 0
                ? Math.scalb((double) m, 1 - bias - mBits)
                : Math.scalb((double) ((1 << mBits) | m), e - bias - mBits);
        return negative ? -magnitude : magnitude;
    }

    private static double maxFinite(int eBits, int mBits, int bias, Variant variant) {
        int eMax = (1 << eBits) - 1;
        int mMax = (1 << mBits) - 1;
        return switch (variant) {
            case IEEE -> Math.scalb((double) ((1 << mBits) | mMax), eMax - 1 - bias - mBits);
            case FN -> Math.scalb((double) ((1 << mBits) | (mMax - 1)), eMax - bias - mBits);
            case FNUZ, NO_SPECIALS -> Math.scalb((double) ((1 << mBits) | mMax), eMax - bias - mBits);
        };
    }

    private static int encodeMini(double v, int eBits, int mBits, int bias, Variant variant, boolean saturate) {
        int total = 1 + eBits + mBits;
        int signBit = 1 << (total - 1);
        boolean nanNegative = Double.doubleToRawLongBits(v) < 0;
        int nan = switch (variant) {
            case IEEE -> ((1 << eBits) - 1) << mBits | 1 << (mBits - 1); // the quiet NaN
            case FN -> (1 << (total - 1)) - 1;
            case FNUZ -> signBit;
            case NO_SPECIALS -> signBit; // no NaN code: ONNX's reference data maps NaN to -0
        };
        if (Double.isNaN(v)) return variant == Variant.IEEE || variant == Variant.FN ? nan | (nanNegative ? signBit : 0) : nan;
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        int sign = negative && variant != Variant.FNUZ ? signBit : 0;
        double a = Math.abs(v);
        double max = maxFinite(eBits, mBits, bias, variant);
        int maxCode = encodeExact(max, eBits, mBits, bias);
        int overflow = switch (variant) {
            case IEEE -> ((1 << eBits) - 1) << mBits | (negative ? signBit : 0); // infinity
            case FN -> nan | (negative ? signBit : 0);
            case FNUZ -> nan;
            case NO_SPECIALS -> maxCode | (negative ? signBit : 0);
        };
        int saturated = maxCode | (negative ? signBit : 0);
        if (Double.isInfinite(a)) return saturate ? saturated : overflow;
        int minExp = 1 - bias;
        int exp = a == 0 ? minExp : Math.max(Math.getExponent(a), minExp);
        double quantum = Math.scalb(1.0, exp - mBits);
        double rounded = Math.rint(a / quantum) * quantum;
        if (rounded > max) return saturate ? saturated : overflow;
        if (rounded == 0) return variant == Variant.FNUZ ? 0 : sign;
        return encodeExact(rounded, eBits, mBits, bias) | (negative ? signBit : 0);
    }

    /** Bits of a positive value that the format represents exactly. */
    private static int encodeExact(double a, int eBits, int mBits, int bias) {
        int exp = Math.getExponent(a);
        if (exp < 1 - bias) {
            return (int) Math.round(Math.scalb(a, bias - 1 + mBits));
        }
        int m = (int) Math.round(Math.scalb(a, mBits - exp)) - (1 << mBits);
        return ((exp + bias) << mBits) | m;
    }
}
