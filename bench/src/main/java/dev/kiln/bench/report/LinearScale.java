package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear axis whose ends and tick step are "nice" numbers (1, 2 or 5 times a power of ten), as in Heckbert's
 * "Nice Numbers for Graph Labels" (Graphics Gems, 1990).
 */
public record LinearScale(double min, double max, double step) implements AxisScale {

    public LinearScale {
        if (!(min < max) || !(step > 0)) throw new IllegalArgumentException("empty linear scale: " + min + ".." + max + " step " + step);
    }

    /** A scale covering {@code lo..hi} with about {@code targetTicks} ticks; a single value gets room on both sides. */
    public static LinearScale nice(double lo, double hi, int targetTicks) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("bad axis range: " + lo + ".." + hi);
        }
        if (targetTicks < 2) throw new IllegalArgumentException("need at least 2 ticks, asked for " + targetTicks);
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) / 2;
            lo -= pad;
            hi += pad;
        }
        double step = niceNumber(niceNumber(hi - lo, false) / (targetTicks - 1), true);
        return new LinearScale(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
    }

    /**
     * A 1, 2, 5 or 10 times a power of ten near {@code x}: the nearest when {@code round}, else the smallest not
     * below it.
     */
    static double niceNumber(double x, boolean round) {
        double exponent = Math.floor(Math.log10(x));
        double power = Math.pow(10, exponent);
        double fraction = x / power;
        double nice;
        if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    @Override
    public double fraction(double value) { return (value - min) / (max - min); }

    @Override
    public List<Double> ticks() {
        long count = Math.round((max - min) / step);
        List<Double> ticks = new ArrayList<>();
        // Multiplying the step (rather than adding it up) keeps rounding error from accumulating.
        for (long i = 0; i <= count; i++) ticks.add(min + i * step);
        return ticks;
    }

    @Override
    public int tickDigits() {
        double largest = Math.max(Math.abs(min), Math.abs(max));
        return Math.max(1, (int) (Math.floor(Math.log10(largest)) - Math.floor(Math.log10(step))) + 1);
    }

    @Override
    public boolean isLog() { return false; }
}
