package dev.kiln.runtime.artifact;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.CompiledKernel;

import java.util.List;
import java.util.Map;

/**
 * What a saved artifact holds: the optimized graph (with its memory plan in the node annotations and its weights),
 * the device it was compiled for, the planned arena size, the kernels the backend generated with their class files,
 * the Kiln and Java versions that built it, and the compile options used ({@code options}: name → value, as given).
 */
public record Artifact(Graph graph, String device, long arenaBytes, List<CompiledKernel> kernels, String kilnVersion,
                       int javaFeatureVersion, Map<String, String> options) {
    public Artifact {
        kernels = List.copyOf(kernels);
        options = Map.copyOf(options);
    }

    /** The precompiled kernels by source hash, as {@link dev.kiln.runtime.CompileOptions} takes them. */
    public Map<String, CompiledKernel> kernelsBySourceHash() {
        Map<String, CompiledKernel> bySource = new java.util.HashMap<>();
        for (CompiledKernel k : kernels) bySource.put(k.sourceHash(), k);
        return bySource;
    }
}
