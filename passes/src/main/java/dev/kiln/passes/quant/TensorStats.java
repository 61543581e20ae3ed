package dev.kiln.passes.quant;

/**
 * What calibration saw of one tensor: its minimum, maximum, how many values were exactly 0, and a histogram of the
 * other values' |x| with {@link #BINS} bins over [0, {@link #binWidth()}·BINS). Zeros (a Relu's floor, padding) are
 * exact under any quantization, so they are counted apart: in the histogram their spike would dominate the entropy
 * search and pull its threshold down. When a batch exceeds the covered range the width doubles and neighbouring bins merge,
 * so one pass over the data suffices whatever order the batches come in.
 */
public final class TensorStats {
    public static final int BINS = 2048;

    private final long[] counts = new long[BINS];
    private double width;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long total;
    private long zeros;

    public void add(double[] values) {
        double absMax = 0;
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
            absMax = Math.max(absMax, Math.abs(v));
        }
        if (width == 0 && absMax > 0) width = absMax / BINS * (1 + 1e-9);
        while (width > 0 && absMax >= width * BINS) widen();
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            total++;
            if (v == 0) {
                zeros++;
                continue;
            }
            int bin = width == 0 ? 0 : (int) Math.min(BINS - 1, Math.abs(v) / width);
            counts[bin]++;
        }
    }

    private void widen() {
        for (int i = 0; i < BINS / 2; i++) counts[i] = counts[2 * i] + counts[2 * i + 1];
        java.util.Arrays.fill(counts, BINS / 2, BINS, 0);
        width *= 2;
    }

    public boolean isEmpty() { return total == 0; }

    public double min() { return min; }

    public double max() { return max; }

    public double binWidth() { return width; }

    public long total() { return total; }

    /** How many values were exactly 0 (not in the histogram). */
    public long zeros() { return zeros; }

    /** The histogram of the non-zero |x| (a copy). */
    public long[] counts() { return counts.clone(); }

    /** The |x| below which {@code percent} of the values lie (upper edge of the bin reaching it). */
    public double absPercentile(double percent) {
        long wanted = (long) Math.ceil(total * percent / 100);
        long seen = zeros;
        if (seen >= wanted) return 0;
        for (int i = 0; i < BINS; i++) {
            seen += counts[i];
            if (seen >= wanted) return (i + 1) * width;
        }
        return BINS * width;
    }
}
