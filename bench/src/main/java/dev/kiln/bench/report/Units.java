package dev.kiln.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Number formatting shared by the HTML report and the console table. Unknown values (NaN, negative sizes) print as
 * an em dash so a missing measurement never reads as zero.
 */
public final class Units {
    public static final String MISSING = "—";
    private static final String[] PREFIXES = {"n", "µ", "m", "", "k", "M", "G"};
    private static final int LOWEST_EXPONENT = -9;

    private Units() {}

    /** {@code value} with an SI prefix and three significant digits: {@code si(0.00123, "J")} is {@code 1.23 mJ}. */
    public static String si(double value, String unit) { return si(value, unit, 3); }

    /** {@code value} with an SI prefix, rounded to {@code digits} significant digits, trailing zeros dropped. */
    public static String si(double value, String unit, int digits) {
        if (!Double.isFinite(value)) return MISSING;
        if (value == 0) return "0 " + unit;
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(Math.max(1, digits)));
        int exponent = Math.floorDiv(rounded.precision() - rounded.scale() - 1, 3) * 3;
        exponent = Math.clamp(exponent, LOWEST_EXPONENT, LOWEST_EXPONENT + 3 * (PREFIXES.length - 1));
        BigDecimal scaled = rounded.movePointLeft(exponent).stripTrailingZeros();
        return scaled.toPlainString() + " " + PREFIXES[(exponent - LOWEST_EXPONENT) / 3] + unit;
    }

    /** A duration given in microseconds, in seconds with an SI prefix: {@code micros(1250, 3)} is {@code 1.25 ms}. */
    public static String micros(double micros, int digits) { return si(micros * 1e-6, "s", digits); }

    /** A fixed-point number with thousands separators: {@code fixed(12345.67, 1)} is {@code 12,345.7}. */
    public static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) return MISSING;
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** Bytes in binary units ({@code 1.5 MiB}); negative means not measured. */
    public static String bytes(double bytes) {
        if (!Double.isFinite(bytes) || bytes < 0) return MISSING;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double scaled = bytes;
        while (scaled >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", scaled) : String.format(Locale.ROOT, "%.1f %s", scaled, units[unit]);
    }

    /** A Kiln ÷ baseline ratio: {@code 0.82×}. */
    public static String ratio(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f×", ratio) : MISSING;
    }

    /** A fraction 0..1 as a percentage; null means not measured. */
    public static String percent(Double fraction) {
        return fraction == null || !Double.isFinite(fraction) ? MISSING : String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    /** A small magnitude such as a numerical deviation, in scientific notation; null means not measured. */
    public static String scientific(Double value) {
        return value == null || !Double.isFinite(value) ? MISSING : String.format(Locale.ROOT, "%.2e", value);
    }
}
