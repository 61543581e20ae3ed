package dev.kiln.bench.report;

import java.util.List;

/**
 * Maps data values on one chart axis to a position 0..1 along it, over a domain widened to round numbers, with the
 * tick values to label.
 */
public sealed interface AxisScale permits LinearScale, LogScale {

    /** Spreads wider than this ratio between the largest and smallest value are drawn on a log scale. */
    double LOG_THRESHOLD = 10;

    /** A linear scale, or a log10 scale when all values are positive and span more than {@link #LOG_THRESHOLD}. */
    static AxisScale forValues(double min, double max) {
        if (min > 0 && max / min > LOG_THRESHOLD) return LogScale.nice(min, max);
        return LinearScale.nice(min, max, 6);
    }

    /** The smallest value on the axis (at or below the smallest data value). */
    double min();

    /** The largest value on the axis (at or above the largest data value). */
    double max();

    /** Where {@code value} lies along the axis: 0 at {@link #min()}, 1 at {@link #max()}. */
    double fraction(double value);

    /** The values to draw grid lines at and label, ascending, including both ends of the domain. */
    List<Double> ticks();

    /** Significant digits the tick labels need to tell neighbouring ticks apart. */
    int tickDigits();

    /** Whether this is a log scale, so the axis title can say so. */
    boolean isLog();
}
