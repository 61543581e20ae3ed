package dev.kiln.backend.cpu.plan;

import java.nio.file.Path;

/** What kernels are compiled for: the threads they may split work over, and where generated sources are dumped (or null). */
public record CpuContext(int threads, Path dumpKernelsDir) {
    public CpuContext {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
}
