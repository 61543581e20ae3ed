package dev.kiln.bench.jmh;

import java.util.List;

/**
 * The one-thread limits the probes measured in a JMH run, per second: the Vector API and scalar FMA peaks (FLOP/s)
 * and the triad and read-only bandwidths (bytes/s). A probe missing from the run is NaN.
 */
public record MachineLimits(double vectorFlops, double scalarFlops, double triadBytes, double sumBytes) {

    public static MachineLimits of(List<JmhResult> results) {
        return new MachineLimits(
                rate(results, FmaPeakProbe.class, "vector", FmaPeakProbe.FLOPS_PER_CALL, null),
                rate(results, FmaPeakProbe.class, "scalar", FmaPeakProbe.FLOPS_PER_CALL, null),
                rate(results, MemoryBandwidthProbe.class, "triad", Double.NaN, "triad"),
                rate(results, MemoryBandwidthProbe.class, "sum", Double.NaN, "sum"));
    }

    /**
     * Work per second of probe {@code probe.method}: {@code work} per call, or for a bandwidth probe ({@code
     * bandwidthProbe} non-null) its bytes at the run's array length; NaN when the run did not include it.
     */
    private static double rate(List<JmhResult> results, Class<?> probe, String method, double work, String bandwidthProbe) {
        for (JmhResult r : results) {
            if (!r.benchmarkClass().equals(probe.getName()) || !r.method().equals(method)) continue;
            double perCall = bandwidthProbe == null ? work
                    : MemoryBandwidthProbe.bytes(bandwidthProbe, Double.parseDouble(r.params().get("n")));
            return perCall / r.secondsPerCall();
        }
        return Double.NaN;
    }

    /**
     * FLOP per byte at which a kernel on {@code threads} threads stops being memory-bound: the FMA peak of that many
     * cores over the one-thread triad bandwidth (the roofline's ridge point).
     */
    public double ridge(int threads) { return threads * vectorFlops / triadBytes; }
}
