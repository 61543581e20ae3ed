package dev.kiln.bench.jmh;

import java.util.List;
import java.util.Optional;

/**
 * The one-thread limits the probes measured in a JMH run, per second: the Vector API and scalar FMA peaks (FLOP/s)
 * and the triad and read-only bandwidths (bytes/s). A probe missing from the run is NaN.
 */
public record MachineLimits(double vectorFlops, double scalarFlops, double triadBytes, double sumBytes) {

    public static MachineLimits of(List<JmhResult> results) {
        return new MachineLimits(flops(results, "vector"), flops(results, "scalar"),
                bandwidth(results, "triad"), bandwidth(results, "sum"));
    }

    /** FLOP/s of {@code FmaPeakProbe.method}: {@link FmaPeakProbe#FLOPS_PER_CALL} per call. */
    private static double flops(List<JmhResult> results, String method) {
        return find(results, FmaPeakProbe.class, method).map(r -> FmaPeakProbe.FLOPS_PER_CALL / r.secondsPerCall())
                .orElse(Double.NaN);
    }

    /** Bytes/s of {@code MemoryBandwidthProbe.method} at the array length the run used. */
    private static double bandwidth(List<JmhResult> results, String method) {
        return find(results, MemoryBandwidthProbe.class, method)
                .map(r -> MemoryBandwidthProbe.bytes(method, Double.parseDouble(r.params().get("n"))) / r.secondsPerCall())
                .orElse(Double.NaN);
    }

    private static Optional<JmhResult> find(List<JmhResult> results, Class<?> probe, String method) {
        return results.stream().filter(r -> r.benchmarkClass().equals(probe.getName()) && r.method().equals(method)).findFirst();
    }

    /**
     * FLOP per byte at which a kernel on {@code threads} threads stops being memory-bound: the FMA peak of that many
     * cores over the one-thread triad bandwidth (the roofline's ridge point).
     */
    public double ridge(int threads) { return threads * vectorFlops / triadBytes; }
}
