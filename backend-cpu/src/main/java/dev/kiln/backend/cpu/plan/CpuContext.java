package dev.kiln.backend.cpu.plan;

/** What kernels are compiled for: the threads they may split work over. */
public record CpuContext(int threads) {
    public CpuContext {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
}
