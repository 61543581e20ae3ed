package dev.kiln.bench;

import java.nio.file.Path;

/**
 * One configuration to measure. {@code iterations} inferences per runtime, or, when {@code durationSeconds} is
 * positive, as many as fit in that many seconds per runtime; {@code warmup} -1 is the automatic warm-up
 * ({@link WarmUp}). {@code inputs} (a samples .npy) and {@code labels} may be null: random inputs, no accuracy.
 */
public record BenchConfig(Path model, String device, int threads, int batch, String precision, String optLevel,
                          int warmup, int iterations, double durationSeconds, boolean compareOnnxRuntime,
                          Path inputs, Path labels) {
    /** Rounds a measurement is cut into, so alternation spreads drift over both runtimes. */
    static final int ROUNDS = 10;

    public BenchConfig {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
        if (warmup < -1) throw new IllegalArgumentException("--warmup must not be negative");
        if (iterations < 1 && durationSeconds <= 0) throw new IllegalArgumentException("--iterations must be at least 1");
        if (labels != null && inputs == null) throw new IllegalArgumentException("--labels needs --inputs (the samples they label)");
    }

    public BenchConfig with(String newDevice, int newThreads, int newBatch, String newPrecision) {
        return new BenchConfig(model, newDevice, newThreads, newBatch, newPrecision, optLevel, warmup, iterations,
                durationSeconds, compareOnnxRuntime, inputs, labels);
    }

    /** Inferences per round for a runner whose warm mean latency is {@code meanNanos}. */
    int perRound(double meanNanos) {
        if (durationSeconds <= 0) return Math.max(1, (iterations + ROUNDS - 1) / ROUNDS);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / ROUNDS, durationSeconds * 1e9 / ROUNDS / Math.max(1, meanNanos)));
    }

    /** The rounds to run: fewer than {@link #ROUNDS} only when there are fewer iterations than that. */
    int rounds() { return durationSeconds <= 0 ? Math.min(ROUNDS, iterations) : ROUNDS; }
}
