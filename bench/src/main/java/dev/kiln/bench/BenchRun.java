package dev.kiln.bench;

/**
 * Kiln's figures for one configuration and, with {@code --compare onnxruntime}, ONNX Runtime's measured in the same
 * rounds ({@code baseline} null otherwise). Ratios are Kiln ÷ baseline, so below 1 means Kiln is faster;
 * {@code outputsMaxDifference} is the largest absolute difference between the two runtimes' outputs.
 */
public record BenchRun(BenchResult kiln, BenchResult baseline, double outputsMaxDifference, boolean outputsAgree) {

    public static BenchRun alone(BenchResult kiln) { return new BenchRun(kiln, null, Double.NaN, true); }

    public boolean hasBaseline() { return baseline != null; }

    public double ratioP50() { return kiln.latency().p50Us() / baseline.latency().p50Us(); }

    public double ratioP99() { return kiln.latency().p99Us() / baseline.latency().p99Us(); }
}
