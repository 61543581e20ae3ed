package dev.kiln.passes.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorStatsTest {
    @Test
    void widensWhenALaterBatchExceedsTheRangeAndKeepsEveryCount() {
        TensorStats stats = new TensorStats();
        stats.add(new double[] {0.5, -0.25, 0, 1});
        stats.add(new double[] {-10, 3});
        assertEquals(-10, stats.min());
        assertEquals(3, stats.max());
        assertEquals(6, stats.total());
        assertEquals(1, stats.zeros());
        long inHistogram = java.util.Arrays.stream(stats.counts()).sum();
        assertEquals(5, inHistogram);
        assertTrue(stats.binWidth() * TensorStats.BINS > 10, "the histogram covers |x| = 10");
    }

    @Test
    void percentileCutsTheOutliersOff() {
        TensorStats stats = new TensorStats();
        double[] values = new double[10_000];
        for (int i = 0; i < values.length; i++) values[i] = (i % 100) / 100.0; // |x| < 1
        values[0] = 50; // one outlier
        stats.add(values);
        double t = stats.absPercentile(99.9);
        assertTrue(t > 0.95 && t < 1.1, "99.9th percentile of |x| is about 1, not the outlier: " + t);
        assertEquals(50, stats.absPercentile(100), 50 * 1e-3);
    }

    @Test
    void minmaxKeepsTheObservedRangeAndClippingMethodsStayInsideIt() {
        TensorStats stats = new TensorStats();
        double[] values = new double[20_000];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < values.length; i++) values[i] = r.nextGaussian();
        values[7] = 40;
        stats.add(values);
        double[] minmax = CalibrationMethod.MINMAX.range(stats, 99.99);
        assertEquals(40, minmax[1]);
        double[] entropy = CalibrationMethod.ENTROPY.range(stats, 99.99);
        assertTrue(entropy[1] < 20 && entropy[1] > 2, "entropy clips the lone outlier of a Gaussian: " + entropy[1]);
        assertTrue(entropy[0] >= minmax[0]);
    }
}
