package dev.kiln.bench;

import java.util.Arrays;

/**
 * Summary of per-inference latencies, in microseconds. Percentiles interpolate linearly between the two nearest
 * ranks (NumPy's default), so p99.9 of a short run is an honest in-between value rather than the maximum.
 */
public record LatencyStats(long count, double minUs, double meanUs, double p50Us, double p90Us, double p99Us, double p999Us,
                           double maxUs) {

    /** Statistics of {@code nanos}, one entry per inference; at least one sample is needed. */
    public static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no latency samples");
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) sum += n;
        return new LatencyStats(sorted.length, sorted[0] / 1e3, sum / sorted.length / 1e3,
                percentile(sorted, 50) / 1e3, percentile(sorted, 90) / 1e3, percentile(sorted, 99) / 1e3,
                percentile(sorted, 99.9) / 1e3, sorted[sorted.length - 1] / 1e3);
    }

    /** The {@code p}-th percentile (0..100) of ascending {@code sorted}, by linear interpolation between ranks. */
    public static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) throw new IllegalArgumentException("no samples");
        if (p < 0 || p > 100) throw new IllegalArgumentException("percentile out of range: " + p);
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Inferences per second for a batch of {@code batch} at the mean latency. */
    public double throughputPerSecond(int batch) { return batch * 1e6 / meanUs; }
}
