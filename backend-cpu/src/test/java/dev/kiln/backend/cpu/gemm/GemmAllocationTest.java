package dev.kiln.backend.cpu.gemm;

import com.sun.management.ThreadMXBean;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A warm GEMM call allocates no heap on the calling thread, serial or split over the pool, with an epilogue. */
class GemmAllocationTest {
    @Test
    void aWarmCallAllocatesNothing() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WorkerPool pool = new WorkerPool(2); Arena arena = Arena.ofShared()) {
            Gemm gemm = new Gemm(pool);
            int m = 70, n = 90, k = 300;   // above the parallel threshold, with tails in m and n
            MemorySegment a = Matrices.random(arena, 1, 0, m * k), b = Matrices.random(arena, 2, 0, k * n);
            MemorySegment c = arena.allocate((long) m * n * 4, 64), bias = Matrices.random(arena, 3, 0, n);
            PackedMatrix packed = gemm.packB(arena, b, 0, n, false, k, n);
            FusedEpilogue epilogue = new FusedEpilogue(new FusedEpilogue.Bias(bias, 0, false),
                    new FusedEpilogue.LeakyRelu(0.01f), new FusedEpilogue.Residual(c, 0, n), true);
            // "Warm" means compiled by C2, which runs in the background and lags on a loaded machine: keep warming
            // until two calls allocate nothing, and fail only if they never do.
            long allocated = -1;
            for (int round = 0; round < 40 && allocated != 0; round++) {
                for (int i = 0; i < 3000; i++) {
                    gemm.multiply(m, a, 0, k, false, packed, c, 0, n, false, epilogue);
                    gemm.multiply(5, a, 0, 5, true, packed, c, 0, n, true, null);   // serial: under the threshold
                }
                long before = mx.getCurrentThreadAllocatedBytes();
                gemm.multiply(m, a, 0, k, false, packed, c, 0, n, false, epilogue);
                gemm.multiply(5, a, 0, 5, true, packed, c, 0, n, true, null);
                allocated = mx.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by two warm calls");
        }
    }
}
