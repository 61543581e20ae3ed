package dev.kiln.backend.cpu.codegen;

import dev.kiln.runtime.spi.CompiledKernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * javac's output for every kernel compiled in this JVM, by kernel name (a hash of its source), shared by all the
 * models: each model defines the classes in a loader of its own ({@code ModelClassLoader}), but a source is compiled
 * once. Holds class-file bytes only, never classes, so it keeps no model's loader alive.
 */
public final class CompiledKernelCache {
    private static final Map<String, CompiledKernel> KERNELS = new ConcurrentHashMap<>();

    private CompiledKernelCache() {}

    /** The kernel compiled under {@code name} in this JVM, or null. */
    public static CompiledKernel get(String name) { return KERNELS.get(name); }

    public static void put(CompiledKernel kernel) { KERNELS.putIfAbsent(kernel.name(), kernel); }
}
