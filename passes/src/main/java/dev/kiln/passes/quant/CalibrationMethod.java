package dev.kiln.passes.quant;

import java.util.Locale;

/** How a tensor's quantization range follows from what calibration saw of it. */
public enum CalibrationMethod {
    /** The observed minimum and maximum: no value clips, outliers cost resolution. */
    MINMAX,
    /** Clip |x| at the given percentile of the observed |x| (e.g. 99.99). */
    PERCENTILE,
    /** Clip |x| where the KL divergence of the 128-level distribution from the observed one is smallest. */
    ENTROPY;

    public static CalibrationMethod parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown calibration method '" + name + "' (known: minmax, percentile, entropy)");
        }
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /**
     * The range [lo, hi] to quantize over: the observed one, with a clipping threshold t on |x| applied to both ends
     * for the clipping methods.
     */
    public double[] range(TensorStats stats, double percentile) {
        double lo = stats.min();
        double hi = stats.max();
        if (this == MINMAX) return new double[] {lo, hi};
        double t = this == PERCENTILE ? stats.absPercentile(percentile) : EntropyThreshold.of(stats);
        return new double[] {Math.max(lo, -t), Math.min(hi, t)};
    }
}
