package dev.kiln.ir.text;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.NumericFormats;
import dev.kiln.ir.tensor.Tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * The text of one tensor element, exact in both directions: what {@link #format} prints, {@link #write} turns
 * back into the same storage bits. Floats print in the shortest form that reads back to the same bits; NaNs
 * other than the type's canonical one print their bits ({@code nan(0x7fc00001)}).
 */
final class ElementText {
    private ElementText() {}

    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    static String format(Tensor t, int i) {
        ByteBuffer data = t.data();
        return switch (t.dtype()) {
            case STRING -> Syntax.quote(t.getString(i));
            case BOOL -> t.getLong(i) != 0 ? "true" : "false";
            case F32 -> f32(data.getInt(i * 4));
            case F64 -> f64(data.getLong(i * 8));
            case F16, BF16 -> small(t.dtype(), data.getShort(i * 2) & 0xFFFF);
            case F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ, F4E2M1, F8E8M0 -> small(t.dtype(), data.get(i) & 0xFF);
            case C64 -> "(" + f32(data.getInt(i * 8)) + ", " + f32(data.getInt(i * 8 + 4)) + ")";
            case C128 -> "(" + f64(data.getLong(i * 16)) + ", " + f64(data.getLong(i * 16 + 8)) + ")";
            case U64 -> Long.toUnsignedString(t.getLong(i));
            default -> Long.toString(t.getLong(i));
        };
    }

    static String f32(int bits) {
        float f = Float.intBitsToFloat(bits);
        if (Float.isNaN(f)) return bits == Float.floatToRawIntBits(Float.NaN) ? "nan" : nanBits(Integer.toUnsignedLong(bits), 8);
        if (Float.isInfinite(f)) return f > 0 ? "inf" : "-inf";
        return Float.toString(f);
    }

    private static String f64(long bits) {
        double d = Double.longBitsToDouble(bits);
        if (Double.isNaN(d)) return bits == Double.doubleToRawLongBits(Double.NaN) ? "nan" : nanBits(bits, 16);
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Double.toString(d);
    }

    /** f16, bf16, float8 and f4: the fewest significant digits that encode back to {@code bits}. */
    private static String small(DType type, int bits) {
        double v = NumericFormats.decode(type, bits);
        if (Double.isNaN(v)) return bits == NumericFormats.encode(type, Double.NaN, false) ? "nan" : nanBits(bits, hexDigits(type));
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits < 17; digits++) {
            double candidate = exact.round(new MathContext(digits)).doubleValue();
            if (NumericFormats.encode(type, candidate, false) == bits) return Double.toString(candidate);
        }
        return Double.toString(v);
    }

    private static int hexDigits(DType type) { return type.storageBytes() * 2; }

    private static String nanBits(long bits, int hexDigits) {
        String hex = Long.toHexString(bits);
        return "nan(0x" + "0".repeat(Math.max(0, hexDigits - hex.length())) + hex + ")";
    }

    /**
     * Stores element {@code i} of a numeric or bool tensor from its text (as {@link #format} writes it, or a
     * plain decimal); throws {@link IllegalArgumentException} saying what is wrong.
     */
    static void write(DType type, String text, ByteBuffer out, int i) {
        switch (type) {
            case BOOL -> {
                if (!text.equals("true") && !text.equals("false")) throw new IllegalArgumentException("expected true or false");
                out.put(i, (byte) (text.equals("true") ? 1 : 0));
            }
            case F32 -> out.putInt(i * 4, f32Bits(text));
            case F64 -> out.putLong(i * 8, f64Bits(text));
            case F16, BF16 -> out.putShort(i * 2, (short) smallBits(type, text));
            case F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ, F4E2M1, F8E8M0 -> out.put(i, (byte) smallBits(type, text));
            case STRING, C64, C128 -> throw new IllegalArgumentException(type + " elements are not single numbers");
            default -> writeInteger(type, text, out, i);
        }
    }

    static void writeComplex(DType type, String re, String im, ByteBuffer out, int i) {
        if (type == DType.C64) {
            out.putInt(i * 8, f32Bits(re));
            out.putInt(i * 8 + 4, f32Bits(im));
        } else {
            out.putLong(i * 16, f64Bits(re));
            out.putLong(i * 16 + 8, f64Bits(im));
        }
    }

    /** Float bits of a float literal (also used for FLOAT attributes). */
    static int f32Bits(String text) {
        Long nan = nanLiteral(text, 0x7fc00000L, 8);
        if (nan != null) {
            if (!Float.isNaN(Float.intBitsToFloat(nan.intValue()))) throw notNan(text, DType.F32);
            return nan.intValue();
        }
        return Float.floatToRawIntBits((float) decimalOrInfinity(text, true));
    }

    private static long f64Bits(String text) {
        Long nan = nanLiteral(text, Double.doubleToRawLongBits(Double.NaN), 16);
        if (nan != null) {
            if (!Double.isNaN(Double.longBitsToDouble(nan))) throw notNan(text, DType.F64);
            return nan;
        }
        return Double.doubleToRawLongBits(decimalOrInfinity(text, false));
    }

    private static int smallBits(DType type, String text) {
        Long nan = nanLiteral(text, NumericFormats.encode(type, Double.NaN, false), hexDigits(type));
        if (nan != null) {
            if (!Double.isNaN(NumericFormats.decode(type, nan.intValue()))) throw notNan(text, type);
            return nan.intValue();
        }
        double v = decimalOrInfinity(text, false);
        int bits = NumericFormats.encode(type, v, false);
        if (Double.isFinite(v) && !Double.isFinite(NumericFormats.decode(type, bits))) {
            throw new IllegalArgumentException(text + " is out of range for " + type);
        }
        return bits;
    }

    /** The bits of {@code nan} or {@code nan(0x...)}; null when the text is no NaN literal. */
    private static Long nanLiteral(String text, long canonical, int maxHexDigits) {
        if (text.equals("nan")) return canonical;
        if (!text.startsWith("nan(0x") || !text.endsWith(")")) return null;
        String hex = text.substring(6, text.length() - 1);
        if (hex.isEmpty() || hex.length() > maxHexDigits) throw new IllegalArgumentException("bad NaN bits in " + text);
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad NaN bits in " + text);
        }
    }

    private static IllegalArgumentException notNan(String text, DType type) {
        return new IllegalArgumentException(text + " is not a NaN of " + type);
    }

    private static double decimalOrInfinity(String text, boolean asFloat) {
        if (text.equals("inf")) return Double.POSITIVE_INFINITY;
        if (text.equals("-inf")) return Double.NEGATIVE_INFINITY;
        if (!DECIMAL.matcher(text).matches()) throw new IllegalArgumentException("expected a number, found " + text);
        // Float.parseFloat rounds the decimal once, straight to float (no double rounding).
        return asFloat ? Float.parseFloat(text) : Double.parseDouble(text);
    }

    private static void writeInteger(DType type, String text, ByteBuffer out, int i) {
        if (!INTEGER.matcher(text).matches()) throw new IllegalArgumentException("expected an integer, found " + text);
        long v;
        try {
            v = type == DType.U64 ? Long.parseUnsignedLong(text) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " is out of range for " + type);
        }
        if (type != DType.U64 && type != DType.I64) {
            int bits = type.bits();
            long min = type.isSigned() ? -(1L << (bits - 1)) : 0;
            long max = type.isSigned() ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
            if (v < min || v > max) throw new IllegalArgumentException(text + " is out of range for " + type);
        }
        switch (type.storageBytes()) {
            case 1 -> out.put(i, (byte) v);
            case 2 -> out.putShort(i * 2, (short) v);
            case 4 -> out.putInt(i * 4, (int) v);
            default -> out.putLong(i * 8, v);
        }
    }
}
