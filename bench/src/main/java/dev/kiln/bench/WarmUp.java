package dev.kiln.bench;

import java.util.function.IntConsumer;

/**
 * Untimed inferences before measuring. A JIT-compiled runtime (the CPU backend's Vector API kernels run 10–100×
 * slower until C2 compiles them) needs seconds of them whatever the model's size — a count would end a 2 µs model's
 * warm-up after a few milliseconds, long before C2 has compiled anything — so the automatic warm-up is timed: at
 * least {@link #AUTO_BUDGET_NANOS}, then on in windows (at least {@link #WINDOW} inferences and
 * {@link #WINDOW_NANOS} each) for as long as each window is still clearly faster than the best before it, up to
 * {@link #AUTO_LIMIT_NANOS} in all. A big model fits only a handful of inferences in the budget, while its kernels
 * are still being compiled; the windows carry it on until it is steady.
 */
public final class WarmUp {
    static final long AUTO_BUDGET_NANOS = 2_000_000_000L;
    static final long AUTO_LIMIT_NANOS = 30_000_000_000L;
    static final int WINDOW = 5;
    static final long WINDOW_NANOS = 250_000_000L;
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
            while (System.nanoTime() - start < AUTO_BUDGET_NANOS) inference.accept(done++);
            done = untilSteady(inference, done, start);
        }
        return done == 0 ? Double.NaN : (System.nanoTime() - start) / (double) done;
    }

    /** Windows of inferences after the budget, while each is still faster than the best before it. */
    private static int untilSteady(IntConsumer inference, int done, long start) {
        double best = Double.POSITIVE_INFINITY;
        while (System.nanoTime() - start < AUTO_LIMIT_NANOS) {
            long windowStart = System.nanoTime();
            int runs = 0;
            while (runs < WINDOW || System.nanoTime() - windowStart < WINDOW_NANOS) {
                inference.accept(done++);
                runs++;
            }
            double mean = (System.nanoTime() - windowStart) / (double) runs;
            if (mean >= STILL_IMPROVING * best) break;
            best = Math.min(best, mean);
        }
        return done;
    }
}
