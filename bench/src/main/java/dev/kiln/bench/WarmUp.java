package dev.kiln.bench;

import java.util.function.IntConsumer;

/**
 * Untimed inferences before measuring. A JIT-compiled runtime (the CPU backend's Vector API kernels run 10–100×
 * slower until C2 compiles them) needs far more of them than a native one, and a big model far fewer, so the default
 * is a budget: up to {@link #AUTO_MAX_INFERENCES} inferences or {@link #AUTO_BUDGET_NANOS} of time, whichever ends
 * first. A big model fits only a handful of inferences in that time, while its kernels are still being compiled, so
 * the automatic warm-up then goes on in windows of {@link #WINDOW} inferences for as long as each window is still
 * clearly faster than the best before it — up to {@link #AUTO_LIMIT_NANOS} in all.
 */
public final class WarmUp {
    static final int AUTO_MAX_INFERENCES = 1000;
    static final long AUTO_BUDGET_NANOS = 2_000_000_000L;
    static final long AUTO_LIMIT_NANOS = 30_000_000_000L;
    static final int WINDOW = 5;
    /** A window counts as faster when its mean is below this fraction of the best window's mean before it. */
    static final double STILL_IMPROVING = 0.97;

    private WarmUp() {}

    /**
     * Runs {@code inference} (given the inference's index) {@code count} times, or with {@code count} < 0 for the
     * automatic budget; returns the mean nanoseconds of the runs made, or NaN when none were.
     */
    public static double run(IntConsumer inference, int count) {
        long start = System.nanoTime();
        int done = 0;
        if (count >= 0) {
            while (done < count) inference.accept(done++);
        } else {
            while (done < AUTO_MAX_INFERENCES && System.nanoTime() - start < AUTO_BUDGET_NANOS) inference.accept(done++);
            if (done < AUTO_MAX_INFERENCES) done = untilSteady(inference, done, start);
        }
        return done == 0 ? Double.NaN : (System.nanoTime() - start) / (double) done;
    }

    /** Windows of inferences after the budget, while each is still faster than the best before it. */
    private static int untilSteady(IntConsumer inference, int done, long start) {
        double best = Double.POSITIVE_INFINITY;
        while (System.nanoTime() - start < AUTO_LIMIT_NANOS) {
            long windowStart = System.nanoTime();
            for (int i = 0; i < WINDOW; i++) inference.accept(done++);
            double mean = (System.nanoTime() - windowStart) / (double) WINDOW;
            if (mean >= STILL_IMPROVING * best) break;
            best = Math.min(best, mean);
        }
        return done;
    }
}
