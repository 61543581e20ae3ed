package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.artifact.Artifact;
import dev.kiln.runtime.artifact.ArtifactWriter;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.CompiledKernel;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A model compiled for one backend. Thread-safe: any number of sessions may run at once. */
public final class CompiledModel {
    private final Graph graph;
    private final Backend backend;
    private final Executable executable;
    private final String placement;
    private final CompileOptions options;

    CompiledModel(Graph graph, Backend backend, Executable executable, String placement, CompileOptions options) {
        this.graph = graph;
        this.backend = backend;
        this.executable = executable;
        this.placement = placement;
        this.options = options;
    }

    public Graph graph() { return graph; }

    /** The device name the model runs on. */
    public String device() { return backend.name(); }

    /** Why this device was chosen. */
    public String placement() { return placement; }

    /** The kernel each node runs with, as the backend reports it (empty when it does not). */
    public List<KernelChoice> kernels() { return executable.kernels(); }

    /** Bytes of the scratch arena each session allocates (the planned size from {@link CompileOptions}). */
    public long arenaBytes() { return options.arenaBytes(); }

    /** The kernels the backend generated and compiled for this model (or loaded from its artifact). */
    public List<CompiledKernel> compiledKernels() { return executable.compiledKernels(); }

    /**
     * Saves this compiled model as an artifact that {@link Kiln#load} runs without the passes or a compiler;
     * {@code buildOptions} records how it was built (e.g. {@code opt_level=O2}). Returns the file's size in bytes.
     */
    public long save(Path file, Map<String, String> buildOptions) {
        Map<String, String> recorded = new TreeMap<>(buildOptions);
        recorded.putIfAbsent("threads", Integer.toString(options.threads()));
        return ArtifactWriter.write(file, new Artifact(graph, device(), arenaBytes(), compiledKernels(), Kiln.VERSION,
                Runtime.version().feature(), recorded));
    }

    /** A session with its own arena of {@link #arenaBytes()} bytes, handed to the backend's runner. */
    public Session newSession() {
        long arenaBytes = arenaBytes();
        if (arenaBytes > Integer.MAX_VALUE) {
            throw new KilnException("planned arena of " + arenaBytes + " bytes exceeds the 2 GiB a session can allocate");
        }
        ByteBuffer arena = ByteBuffer.allocateDirect((int) arenaBytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Session(graph, executable.newRunner(arena), arena);
    }
}
