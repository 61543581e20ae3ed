package dev.kiln.bench;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated by all of the JVM's threads so far (HotSpot's per-thread TLAB counters, summed), so that a
 * runtime's worker threads are charged too. Native memory (ONNX Runtime's own allocator) is not visible here.
 */
public final class AllocationCounter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationCounter() {}

    /** Bytes allocated so far, or -1 when this JVM does not count allocation. */
    public static long totalAllocatedBytes() {
        return THREADS == null ? -1 : THREADS.getTotalThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
