package dev.kiln.backend.cpu.plan;

import dev.kiln.runtime.spi.CompiledKernel;

import java.nio.file.Path;
import java.util.Map;

/**
 * What kernels are compiled for: the threads they may split work over, where generated sources are dumped (or
 * null), and kernels compiled before (a saved artifact's, by source hash), which are loaded instead of compiled.
 */
public record CpuContext(int threads, Path dumpKernelsDir, Map<String, CompiledKernel> precompiledKernels) {
    public CpuContext {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        precompiledKernels = Map.copyOf(precompiledKernels);
    }

    public CpuContext(int threads, Path dumpKernelsDir) { this(threads, dumpKernelsDir, Map.of()); }
}
