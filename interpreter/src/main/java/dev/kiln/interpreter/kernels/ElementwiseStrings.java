package dev.kiln.interpreter.kernels;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.NumericFormats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cast's conversions between numbers and strings. Numbers print as NumPy prints them (ONNX's reference casts with
 * NumPy): the shortest digits that read back to the same value, positional between 1e-4 and 1e16, else
 * scientific ({@code 1e-05}, {@code 1.5e+16}); {@code nan}, {@code inf}, {@code True}. Strings parse as decimal or
 * scientific numbers, with INF, +INF, -INF and NaN in any case.
 */
final class ElementwiseStrings {
    private ElementwiseStrings() {}

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static String formatBool(boolean v) { return v ? "True" : "False"; }

    static String formatInteger(long v, boolean unsigned) { return unsigned ? Long.toUnsignedString(v) : Long.toString(v); }

    /** {@code v}, a value of float type {@code type}, in NumPy's shortest repr for that type. */
    static String formatFloat(double v, DType type) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal digits = shortestDigits(Math.abs(v), type).stripTrailingZeros();
        String sign = v < 0 ? "-" : "";
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String plain = digits.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String unscaled = digits.unscaledValue().toString();
        int exponent = digits.precision() - digits.scale() - 1;
        String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
        String exp = String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    /**
     * The shortest decimal that reads back as {@code a} in {@code type}, the nearest one among equally short ones.
     * (The JDK's Float.toString prints at least two digits, so it is longer than this for some subnormals.)
     */
    private static BigDecimal shortestDigits(double a, DType type) {
        BigDecimal exact = new BigDecimal(a);
        int bits = type == DType.F64 || type == DType.F32 ? 0 : NumericFormats.encode(type, a, true);
        for (int p = 1; ; p++) { // ends by p = 17, which reads back every double
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            boolean readsBack = switch (type) {
                case F64 -> candidate.doubleValue() == a;
                case F32 -> candidate.floatValue() == (float) a;
                default -> NumericFormats.encode(type, candidate.doubleValue(), true) == bits;
            };
            if (readsBack) return candidate;
        }
    }

    /** A string as a double, for casts to float types; null when it is not a number. */
    static Double parseDouble(String s) {
        String t = s.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            default -> { }
        }
        if (!isDecimal(t)) return null;
        return Double.parseDouble(t);
    }

    /** A string as a float32, rounded once from its decimal digits. */
    static Float parseFloat(String s) {
        Double d = parseDouble(s);
        if (d == null) return null;
        return Double.isFinite(d) ? Float.parseFloat(s.trim()) : (float) (double) d;
    }

    /**
     * A string as an integer: exact for integer literals (unsigned ones up to 2^64 - 1), truncated toward zero for
     * decimals such as "100.5"; null when it is not a number.
     */
    static Long parseInteger(String s) {
        String t = s.trim();
        if (INTEGER.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooLarge) {
                if (!t.startsWith("-")) {
                    try {
                        return Long.parseUnsignedLong(t.startsWith("+") ? t.substring(1) : t);
                    } catch (NumberFormatException ignored) {
                        // fall through to the decimal reading, which saturates
                    }
                }
            }
        }
        Double d = parseDouble(t);
        return d == null ? null : (long) (double) d;
    }

    /** "true"/"false" in any case, else a number that is nonzero; null when neither. */
    static Boolean parseBool(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        Double d = parseDouble(t);
        return d == null ? null : d != 0;
    }

    /** Plain or scientific decimal notation only (the JDK parser would also take hex floats and 'd'/'f' suffixes). */
    private static boolean isDecimal(String t) {
        return DECIMAL.matcher(t).matches();
    }
}
