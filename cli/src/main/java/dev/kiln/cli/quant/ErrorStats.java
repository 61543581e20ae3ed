package dev.kiln.cli.quant;

import dev.kiln.ir.tensor.Tensor;

/** Accumulated error of a quantized tensor against its float twin: max and mean absolute error, and SNR in dB. */
public final class ErrorStats {
    private double maxAbs;
    private double sumAbs;
    private double signal;
    private double noise;
    private long count;

    public void add(Tensor reference, Tensor quantized) {
        if (reference.size() != quantized.size()) throw new IllegalArgumentException("sizes differ: " + reference + " vs " + quantized);
        for (int i = 0; i < reference.size(); i++) add(reference.getDouble(i), quantized.getDouble(i));
    }

    public void add(double reference, double quantized) {
        double e = Math.abs(reference - quantized);
        maxAbs = Math.max(maxAbs, e);
        sumAbs += e;
        signal += reference * reference;
        noise += e * e;
        count++;
    }

    public double maxAbs() { return maxAbs; }

    public double meanAbs() { return count == 0 ? 0 : sumAbs / count; }

    /** 10·log10(Σref² / Σ(ref − q)²); infinite when exact. */
    public double snrDb() { return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise); }
}
