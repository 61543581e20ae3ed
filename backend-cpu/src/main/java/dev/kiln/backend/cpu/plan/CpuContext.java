package dev.kiln.backend.cpu.plan;

import dev.kiln.runtime.spi.CompiledKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.nio.file.Path;
import java.util.Map;

/**
 * What kernels are compiled for: the threads they may split work over, where generated sources are dumped (or null),
 * the vector species of the kernels that can take another than the machine's preferred one — so tests run them
 * at the smallest and the largest the machine has — and kernels compiled before (a saved artifact's, by source
 * hash), which are loaded instead of compiled.
 */
public record CpuContext(int threads, Path dumpKernelsDir, VectorSpecies<Float> species, Map<String, CompiledKernel> precompiledKernels) {
    public CpuContext {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        precompiledKernels = Map.copyOf(precompiledKernels);
    }

    public CpuContext(int threads, Path dumpKernelsDir, VectorSpecies<Float> species) { this(threads, dumpKernelsDir, species, Map.of()); }

    /** At the machine's preferred species. */
    public CpuContext(int threads, Path dumpKernelsDir) { this(threads, dumpKernelsDir, FloatVector.SPECIES_PREFERRED); }
}
