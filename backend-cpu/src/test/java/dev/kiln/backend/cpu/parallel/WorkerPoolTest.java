package dev.kiln.backend.cpu.parallel;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {
    @Test
    void everyUnitRunsOnceInContiguousRangesOnePerWorker() {
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (int n : new int[] {1, 2, 3, 7, 100}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    AtomicIntegerArray workerOf = new AtomicIntegerArray(n);
                    AtomicIntegerArray calls = new AtomicIntegerArray(threads);
                    pool.parallelFor(n, (worker, from, to) -> {
                        calls.incrementAndGet(worker);
                        for (int i = from; i < to; i++) { hits.incrementAndGet(i); workerOf.set(i, worker); }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "unit " + i);
                        int w = workerOf.get(i);
                        assertTrue(WorkerPool.rangeStart(n, threads, w) <= i && i < WorkerPool.rangeStart(n, threads, w + 1));
                    }
                    for (int w = 0; w < threads; w++) assertTrue(calls.get(w) <= 1);
                }
            }
        }
    }

    @Test
    void theCallerRunsRangeZero() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread caller = Thread.currentThread();
            Thread[] seen = new Thread[2];
            pool.parallelFor(2, (worker, from, to) -> seen[worker] = Thread.currentThread());
            assertSame(caller, seen[0]);
            assertTrue(seen[1] != caller && seen[1].isDaemon());
        }
    }

    @Test
    void aFailureInAnyRangeReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(2, (worker, from, to) -> {
                if (worker == 1) throw new IllegalStateException("worker 1 failed");
            }));
            assertEquals("worker 1 failed", e.getMessage());
            int[] sum = new int[1];
            pool.parallelFor(1, (worker, from, to) -> sum[0] += to - from);   // still usable afterwards
            assertEquals(1, sum[0]);
        }
    }

    @Test
    void aNestedCallRunsInlineOnTheSameWorker() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(2);
            pool.parallelFor(2, (worker, from, to) -> pool.parallelFor(10, (w, f, t) -> {
                assertEquals(worker, w);
                assertEquals(0, f);
                inner.addAndGet(worker, t);
            }));
            assertEquals(10, inner.get(0));
            assertEquals(10, inner.get(1));
        }
    }

    @Test
    void aWarmCallAllocatesNothing() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WorkerPool pool = new WorkerPool(2)) {
            long[] sink = new long[2];
            WorkerPool.RangeBody body = (worker, from, to) -> sink[worker] += to - from;
            for (int i = 0; i < 20_000; i++) pool.parallelFor(64, body);
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) pool.parallelFor(64, body);
            assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before);
            assertEquals(64 * 21_000L, sink[0] + sink[1]);
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.parallelFor(4, (worker, from, to) -> {}));
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
