package dev.kiln.passes.quant;

/**
 * The entropy calibration of TensorRT's int8 guide (also ONNX Runtime's): among clipping thresholds i·binWidth for
 * i = 128..2048, choose the one whose 128-level quantization Q of the clipped histogram P (outliers added to its last
 * bin) has the smallest KL divergence KL(P‖Q). Q spreads each level's count evenly over the bins of P that were
 * non-zero in it, so empty bins stay empty.
 */
public final class EntropyThreshold {
    static final int LEVELS = 128;

    private EntropyThreshold() {}

    /** The |x| threshold for {@code stats}; 0 when it saw no non-zero value. */
    public static double of(TensorStats stats) {
        long[] hist = stats.counts();
        int last = hist.length;
        while (last > 0 && hist[last - 1] == 0) last--;
        if (last <= LEVELS) return last * stats.binWidth();
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
                sum += p[b];
                if (p[b] != 0) nonZero++;
            }
            for (int b = from; b < to; b++) q[b] = p[b] == 0 ? 0 : sum / nonZero;
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
            double qb = q[b] / qTotal;
            kl += pb * Math.log(pb / qb);
        }
        return kl;
    }
}
