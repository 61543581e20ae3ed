package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A log10 axis. Its ends are 1, 2 or 5 times a power of ten; up to {@link #DENSE_DECADES} decades it ticks at every
 * 1, 2 and 5, beyond that only at powers of ten (and then its ends are powers of ten too).
 */
public record LogScale(double min, double max) implements AxisScale {

    static final double DENSE_DECADES = 3;
    private static final double[] MANTISSAS = {1, 2, 5};
    /** Relative slack for floating-point noise when comparing against a power of ten. */
    private static final double SLACK = 1e-9;

    public LogScale {
        if (!(min > 0) || !(min < max) || !Double.isFinite(max)) throw new IllegalArgumentException("bad log scale: " + min + ".." + max);
    }

    /** A log scale covering {@code lo..hi}, both positive; a single value gets a factor of two on both sides. */
    public static LogScale nice(double lo, double hi) {
        if (!(lo > 0) || !Double.isFinite(hi) || lo > hi) throw new IllegalArgumentException("bad log axis range: " + lo + ".." + hi);
        if (lo == hi) {
            lo /= 2;
            hi *= 2;
        }
        double floor = niceBelow(lo);
        double ceiling = niceAbove(hi);
        if (Math.log10(ceiling / floor) > DENSE_DECADES) {
            floor = Math.pow(10, Math.floor(Math.log10(floor) + SLACK));
            ceiling = Math.pow(10, Math.ceil(Math.log10(ceiling) - SLACK));
        }
        return new LogScale(floor, ceiling);
    }

    /** The largest 1, 2 or 5 times a power of ten not above {@code x}. */
    static double niceBelow(double x) {
        double power = Math.pow(10, Math.floor(Math.log10(x) + SLACK));
        for (int i = MANTISSAS.length - 1; i > 0; i--) {
            if (MANTISSAS[i] * power <= x * (1 + SLACK)) return MANTISSAS[i] * power;
        }
        return power;
    }

    /** The smallest 1, 2 or 5 times a power of ten not below {@code x}. */
    static double niceAbove(double x) {
        double power = Math.pow(10, Math.floor(Math.log10(x) + SLACK));
        for (double mantissa : MANTISSAS) {
            if (mantissa * power >= x * (1 - SLACK)) return mantissa * power;
        }
        return 10 * power;
    }

    @Override
    public double fraction(double value) { return Math.log10(value / min) / Math.log10(max / min); }

    @Override
    public List<Double> ticks() {
        boolean dense = Math.log10(max / min) <= DENSE_DECADES + SLACK;
        List<Double> ticks = new ArrayList<>();
        for (long exponent = Math.round(Math.floor(Math.log10(min) + SLACK)); ; exponent++) {
            double power = Math.pow(10, exponent);
            if (power > max * (1 + SLACK)) return ticks;
            for (double mantissa : dense ? MANTISSAS : new double[] {1}) {
                double tick = mantissa * power;
                if (tick >= min * (1 - SLACK) && tick <= max * (1 + SLACK)) ticks.add(tick);
            }
        }
    }

    @Override
    public int tickDigits() { return 1; }

    @Override
    public boolean isLog() { return true; }
}
