package dev.kiln.backend.cpu.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of daemon threads, created once, that every CPU kernel shares to split one op's work. A call of
 * {@link #parallelFor} cuts {@code [0, n)} into {@link #threads()} contiguous ranges (static partitioning: the
 * kernels give each unit the same cost, so stealing would buy nothing); the calling thread runs range 0 itself and
 * the workers the others. Between calls a worker spins for {@link #SPIN_NANOS} — ops of one inference follow each
 * other within microseconds, and a spinning worker starts at once — then parks. A call allocates nothing: the
 * body is the caller's (kernels keep one per instance) and hand-off is a volatile generation counter plus
 * {@link LockSupport#unpark} for parked workers only.
 *
 * <p>One call runs at a time: a second caller waits on a lock. A body that calls {@code parallelFor} again (a nested
 * op) runs its whole range inline, on its own worker index, instead of deadlocking.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker spins before parking: long enough to bridge consecutive ops, short enough to idle. */
    static final long SPIN_NANOS = 50_000;

    /** The work of one call: {@code body.run(worker, from, to)} over a contiguous range. */
    @FunctionalInterface
    public interface RangeBody {
        /** Runs units {@code [from, to)} on worker {@code worker} (0 is the caller), which indexes per-thread scratch. */
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock callLock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    // The current call, published to the workers by the volatile write of generation.
    private RangeBody body;
    private int units;

    /** A pool of {@code threads} in all: the caller plus {@code threads - 1} daemon workers. */
    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** Threads taking part in a call, the caller included. */
    public int threads() { return threads; }

    /** The first unit of {@code worker}'s range when {@code n} units are split over {@code parts}: sizes differ by ≤ 1. */
    public static int rangeStart(int n, int parts, int worker) {
        return (int) ((long) n * worker / parts);
    }

    /** Runs {@code body} over {@code [0, n)} split across the pool; returns when every range is done. */
    public void parallelFor(int n, RangeBody body) {
        if (n <= 0) return;
        Thread current = Thread.currentThread();
        if (current instanceof Worker w && w.pool() == this) { body.run(w.index, 0, n); return; }
        if (callLock.isHeldByCurrentThread()) { body.run(0, 0, n); return; }
        if (threads == 1) { body.run(0, 0, n); return; }
        callLock.lock();
        try {
            if (closed) throw new IllegalStateException("the worker pool is closed");
            runCall(n, body, current);
        } finally {
            callLock.unlock();
        }
    }

    private void runCall(int n, RangeBody body, Thread current) {
        this.body = body;
        this.units = n;
        this.caller = current;
        failure = null;
        pending.set(workers.length);
        generation = generation + 1;
        for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
        try {
            runRange(body, n, 0);
        } catch (Throwable t) {
            recordFailure(t);
        }
        awaitWorkers();
        this.body = null;
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        }
    }

    private void runRange(RangeBody body, int n, int worker) {
        int from = rangeStart(n, threads, worker), to = rangeStart(n, threads, worker + 1);
        if (from < to) body.run(worker, from, to);
    }

    private synchronized void recordFailure(Throwable t) {
        if (failure == null) failure = t;
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0) {
            if (System.nanoTime() < spinUntil) Thread.onSpinWait();
            else LockSupport.park(this);
        }
    }

    /** Stops the workers; a later {@link #parallelFor} with more than one thread fails. */
    @Override
    public void close() {
        callLock.lock();
        try {
            closed = true;
            generation = generation + 1;
            for (Worker w : workers) LockSupport.unpark(w);
        } finally {
            callLock.unlock();
        }
    }

    private final class Worker extends Thread {
        final int index;
        volatile boolean parked;

        Worker(int index) {
            super("kiln-cpu-worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        WorkerPool pool() { return WorkerPool.this; }

        @Override
        public void run() {
            // Not `generation`: a call may already have bumped it before this thread first runs.
            int seen = 0;
            while (true) {
                seen = awaitGeneration(seen);
                if (closed) return;
                try {
                    runRange(body, units, index);
                } catch (Throwable t) {
                    recordFailure(t);
                }
                if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }

        /** Spins, then parks, until the generation moves past {@code seen}; returns the new one. */
        private int awaitGeneration(int seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int g;
            while ((g = generation) == seen) {
                if (System.nanoTime() < spinUntil) { Thread.onSpinWait(); continue; }
                parked = true;
                // Re-check after announcing the park: the caller reads `parked` after bumping the generation.
                if (generation == seen) LockSupport.park(WorkerPool.this);
                parked = false;
            }
            return g;
        }
    }
}
