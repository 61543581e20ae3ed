package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.artifact.Artifact;
import dev.kiln.runtime.spi.Backend;

import java.nio.file.Path;
import java.util.List;

/** A loaded model: its IR and where it came from; for a saved artifact, also what was compiled into it. */
public final class Model {
    private final Path source;
    private final Graph graph;
    private final Artifact artifact;

    Model(Path source, Graph graph, Artifact artifact) {
        this.source = source;
        this.graph = graph;
        this.artifact = artifact;
    }

    public Graph graph() { return graph; }

    /** The saved artifact this model was loaded from, or null when it needs optimizing and compiling. */
    public Artifact artifact() { return artifact; }

    /** The file it was loaded from, or null for a graph built in code. */
    public Path source() { return source; }

    /**
     * Compiles for the device named in the options, or, without one, for the fastest available backend that runs
     * every node (the choice and its reason are in {@link CompiledModel#placement()}).
     */
    public CompiledModel compile(CompileOptions options) {
        String where = source == null ? graph.name() : source.toString();
        if (artifact != null) options = artifactOptions(options, where);
        if (options.deviceBinary() != null && options.device() == null) {
            throw new ModelException(where + ": a prebuilt device binary (" + options.deviceBinary() + ") needs the device it was built for");
        }
        if (options.device() != null) {
            Backend backend = Backends.byName(options.device());
            if (options.deviceBinary() != null && !backend.loadsDeviceBinaries()) {
                throw new ModelException(where + ": device '" + backend.name() + "' does not load prebuilt device binaries ("
                        + options.deviceBinary() + ")");
            }
            if (backend.devices().stream().noneMatch(d -> d.available())) {
                throw new KilnException("device '" + backend.name() + "' is not available on this machine");
            }
            List<String> unsupported = Backends.unsupportedNodes(backend, graph);
            if (!unsupported.isEmpty()) {
                throw new ModelException(where + ": device '" + backend.name() + "' cannot run "
                        + unsupported.size() + " node(s): " + String.join("; ", unsupported.subList(0, Math.min(5, unsupported.size())))
                        + (unsupported.size() > 5 ? "; ..." : ""));
            }
            String placement = artifact != null ? "the artifact was compiled for device '" + backend.name() + "'"
                    : "device '" + backend.name() + "' was requested";
            return new CompiledModel(graph, backend, backend.compile(graph, options), placement, options);
        }
        StringBuilder skipped = new StringBuilder();
        for (Backend backend : Backends.all()) {
            if (backend.devices().stream().noneMatch(d -> d.available())) {
                skipped.append("; ").append(backend.name()).append(" not available");
                continue;
            }
            List<String> unsupported = Backends.unsupportedNodes(backend, graph);
            if (!unsupported.isEmpty()) {
                skipped.append("; ").append(backend.name()).append(" cannot run ").append(unsupported.getFirst());
                continue;
            }
            String reason = "fastest available device that runs every node" + skipped;
            CompileOptions chosen = options.withDevice(backend.name());
            return new CompiledModel(graph, backend, backend.compile(graph, chosen), reason, chosen);
        }
        throw new ModelException(where + ": no device runs this model" + skipped);
    }

    /** An artifact runs on the device it was compiled for, with its arena and its precompiled kernels. */
    private CompileOptions artifactOptions(CompileOptions options, String where) {
        String built = artifact.device();
        if (options.device() != null && !options.device().equals(built)) {
            throw new ModelException(where + ": the artifact was compiled for device '" + built + "', not '" + options.device()
                    + "': compile the model again for that device");
        }
        if (Backends.all().stream().noneMatch(b -> b.name().equals(built))) {
            throw new ModelException(where + ": the artifact was compiled for device '" + built + "', whose backend is not on the class path"
                    + " (found: " + String.join(", ", Backends.all().stream().map(Backend::name).toList()) + ")");
        }
        return options.withDevice(built).withArenaBytes(artifact.arenaBytes()).withPrecompiledKernels(artifact.kernelsBySourceHash());
    }
}
