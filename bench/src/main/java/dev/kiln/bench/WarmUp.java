package dev.kiln.bench;

import java.util.function.IntConsumer;

/**
 * Untimed inferences before measuring. A JIT-compiled runtime (the CPU backend's Vector API kernels run 10–100×
 * slower until C2 compiles them) needs far more of them than a native one, and a big model far fewer, so the default
 * is a budget: up to {@link #AUTO_MAX_INFERENCES} inferences or {@link #AUTO_BUDGET_NANOS} of time, whichever ends first.
 */
public final class WarmUp {
    static final int AUTO_MAX_INFERENCES = 1000;
    static final long AUTO_BUDGET_NANOS = 2_000_000_000L;

    private WarmUp() {}

    /**
     * Runs {@code inference} (given the inference's index) {@code count} times, or with {@code count} < 0 for the
     * automatic budget; returns the mean nanoseconds of the runs made, or NaN when none were.
     */
    public static double run(IntConsumer inference, int count) {
        int max = count < 0 ? AUTO_MAX_INFERENCES : count;
        long start = System.nanoTime();
        int done = 0;
        while (done < max && (count >= 0 || System.nanoTime() - start < AUTO_BUDGET_NANOS)) inference.accept(done++);
        return done == 0 ? Double.NaN : (System.nanoTime() - start) / (double) done;
    }
}
