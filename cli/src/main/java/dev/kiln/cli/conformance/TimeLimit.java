package dev.kiln.cli.conformance;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a task on its own worker thread under a time limit. On timeout the worker is interrupted (the interpreter
 * checks for interruption between nodes) and given a short grace period to stop; anything the task throws, Errors
 * such as OutOfMemoryError and StackOverflowError included, comes back as an outcome instead of stopping the caller.
 */
public final class TimeLimit {
    /**
     * Deep recursion (nested subgraphs, recursive kernels) gets more room than the JVM's default 1 MB thread stack;
     * not much more, as a runaway recursion takes time to fill it.
     */
    public static final long DEFAULT_STACK_BYTES = 32L << 20;

    private final Duration limit;
    private final Duration grace;
    private final long stackBytes;

    public TimeLimit(Duration limit, Duration grace) { this(limit, grace, DEFAULT_STACK_BYTES); }

    public TimeLimit(Duration limit, Duration grace, long stackBytes) {
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("time limit must be positive: " + limit);
        this.limit = limit;
        this.grace = grace;
        this.stackBytes = stackBytes;
    }

    /** How a task ended. */
    public sealed interface Outcome<T> {
        record Done<T>(T value) implements Outcome<T> {}

        record Crashed<T>(Throwable error) implements Outcome<T> {}

        /** {@code stopped} is false when the worker ignored the interrupt and is still running (as a daemon). */
        record TimedOut<T>(Duration limit, boolean stopped) implements Outcome<T> {}
    }

    public <T> Outcome<T> run(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread worker = new Thread(null, future, name, stackBytes);
        worker.setDaemon(true);
        worker.start();
        try {
            return new Outcome.Done<>(future.get(limit.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            return new Outcome.Crashed<>(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome.TimedOut<>(limit, awaitStop(worker));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome.Crashed<>(e);
        }
    }

    private boolean awaitStop(Thread worker) {
        try {
            worker.join(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }
}
