package dev.kiln.runtime;

import dev.kiln.runtime.spi.CompiledKernel;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to compile a model. {@code device} is a backend name, or null to pick the fastest available backend that
 * runs the whole model; {@code threads} 0 means "as many as there are cores"; {@code arenaBytes} is the size of the
 * one scratch arena each session allocates for intermediate tensors (the memory planner's result, 0 for none);
 * {@code dumpKernelsDir}, when not null, is where a backend that generates kernel source writes every source it compiles;
 * {@code precompiledKernels} are kernels compiled before (a saved artifact's), by {@link CompiledKernel#sourceHash()}:
 * a backend that generates one of these sources loads its classes instead of compiling it;
 * {@code deviceBinary}, when not null, is a program built offline for the device (an FPGA bitstream such as an
 * {@code .aocx} or {@code .xclbin}) that a backend which {@link dev.kiln.runtime.spi.Backend#loadsDeviceBinaries()
 * loads device binaries} runs instead of building its own.
 */
public record CompileOptions(String device, int threads, long arenaBytes, Path dumpKernelsDir,
                             Map<String, CompiledKernel> precompiledKernels, Path deviceBinary) {
    public CompileOptions {
        if (arenaBytes < 0) throw new IllegalArgumentException("arena size must not be negative: " + arenaBytes);
        precompiledKernels = Map.copyOf(precompiledKernels);
    }

    public CompileOptions(String device, int threads, long arenaBytes, Path dumpKernelsDir,
                          Map<String, CompiledKernel> precompiledKernels) {
        this(device, threads, arenaBytes, dumpKernelsDir, precompiledKernels, null);
    }

    public CompileOptions(String device, int threads, long arenaBytes, Path dumpKernelsDir) {
        this(device, threads, arenaBytes, dumpKernelsDir, Map.of());
    }

    public CompileOptions(String device, int threads, long arenaBytes) { this(device, threads, arenaBytes, null); }

    public CompileOptions(String device, int threads) { this(device, threads, 0); }

    public static CompileOptions defaults() { return new CompileOptions(null, 0, 0); }

    public CompileOptions withDevice(String newDevice) {
        return new CompileOptions(newDevice, threads, arenaBytes, dumpKernelsDir, precompiledKernels, deviceBinary);
    }

    public CompileOptions withThreads(int newThreads) {
        return new CompileOptions(device, newThreads, arenaBytes, dumpKernelsDir, precompiledKernels, deviceBinary);
    }

    public CompileOptions withArenaBytes(long newArenaBytes) {
        return new CompileOptions(device, threads, newArenaBytes, dumpKernelsDir, precompiledKernels, deviceBinary);
    }

    public CompileOptions withDumpKernelsDir(Path dir) { return new CompileOptions(device, threads, arenaBytes, dir, precompiledKernels, deviceBinary); }

    public CompileOptions withPrecompiledKernels(Map<String, CompiledKernel> kernels) {
        return new CompileOptions(device, threads, arenaBytes, dumpKernelsDir, kernels, deviceBinary);
    }

    public CompileOptions withDeviceBinary(Path binary) {
        return new CompileOptions(device, threads, arenaBytes, dumpKernelsDir, precompiledKernels, binary);
    }
}
