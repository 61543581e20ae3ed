package dev.kiln.passes.quant;

/**
 * The entropy calibration of TensorRT's int8 guide (also ONNX Runtime's): among clipping thresholds i·binWidth for
 * i = 128..2048, choose the one with the smallest KL divergence KL(P‖Q), where P is the histogram clipped at i with
 * the outliers added to its last bin and Q is the 128-level quantization of the first i bins without them, each
 * level's count spread evenly over its non-empty bins. At i = 128 Q would equal P were the outliers not left out of
 * Q: leaving them out is what makes clipping cost something. A tensor with fewer distinct magnitudes than levels
 * (an image of 17 grey levels) is not clipped: the normalized Q of so few bins matches P at any threshold, so the
 * search would clip it to its smallest candidate.
 */
public final class EntropyThreshold {
    static final int LEVELS = 128;
    /** Q's share, relative to P's, that a bin Q leaves empty counts as (MXNet smooths such bins the same way). */
    private static final double UNREPRESENTED = 1e-4;

    private EntropyThreshold() {}

    /** The |x| threshold for {@code stats}; 0 when it saw no non-zero value. */
    public static double of(TensorStats stats) {
        long[] hist = stats.counts();
        int last = hist.length;
        while (last > 0 && hist[last - 1] == 0) last--;
        long occupied = java.util.Arrays.stream(hist).filter(c -> c != 0).count();
        if (last <= LEVELS || occupied < LEVELS) return last * stats.binWidth();
        double best = Double.POSITIVE_INFINITY;
        int bestI = last;
        for (int i = LEVELS; i <= last; i++) {
            double divergence = divergence(hist, i);
            if (divergence < best) {
                best = divergence;
                bestI = i;
            }
        }
        return bestI * stats.binWidth();
    }

    /** KL(P‖Q) for the threshold at bin {@code i}. */
    static double divergence(long[] hist, int i) {
        double[] p = new double[i];
        for (int b = 0; b < i; b++) p[b] = hist[b];
        for (int b = i; b < hist.length; b++) p[i - 1] += hist[b];
        double[] q = new double[i];
        for (int level = 0; level < LEVELS; level++) {
            int from = level * i / LEVELS;
            int to = (level + 1) * i / LEVELS;
            double sum = 0;
            int nonZero = 0;
            for (int b = from; b < to; b++) {
                sum += hist[b]; // Q quantizes the in-range counts only: the clipped outliers are what it loses
                if (hist[b] != 0) nonZero++;
            }
            for (int b = from; b < to; b++) q[b] = hist[b] == 0 ? 0 : sum / nonZero;
        }
        double pTotal = 0;
        double qTotal = 0;
        for (int b = 0; b < i; b++) {
            pTotal += p[b];
            qTotal += q[b];
        }
        if (pTotal == 0 || qTotal == 0) return Double.POSITIVE_INFINITY;
        double kl = 0;
        for (int b = 0; b < i; b++) {
            if (p[b] == 0) continue;
            double pb = p[b] / pTotal;
            double qb = Math.max(q[b] / qTotal, pb * UNREPRESENTED); // mass Q lacks (outliers in an empty bin): a bounded penalty
            kl += pb * Math.log(pb / qb);
        }
        return kl;
    }
}
