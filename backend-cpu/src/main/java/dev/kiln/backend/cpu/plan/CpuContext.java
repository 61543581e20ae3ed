package dev.kiln.backend.cpu.plan;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.nio.file.Path;

/**
 * What kernels are compiled for: the threads they may split work over, where generated sources are dumped (or null),
 * and the vector species of the kernels that can take another than the machine's preferred one — so tests run them
 * at the smallest and the largest the machine has.
 */
public record CpuContext(int threads, Path dumpKernelsDir, VectorSpecies<Float> species) {
    public CpuContext {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }

    /** At the machine's preferred species. */
    public CpuContext(int threads, Path dumpKernelsDir) { this(threads, dumpKernelsDir, FloatVector.SPECIES_PREFERRED); }
}
