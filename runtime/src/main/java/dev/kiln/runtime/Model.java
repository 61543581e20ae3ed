package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.Backend;

import java.nio.file.Path;
import java.util.List;

/** A loaded model: its IR and where it came from. */
public final class Model {
    private final Path source;
    private final Graph graph;

    Model(Path source, Graph graph) {
        this.source = source;
        this.graph = graph;
    }

    public Graph graph() { return graph; }

    /** The file it was loaded from, or null for a graph built in code. */
    public Path source() { return source; }

    /**
     * Compiles for the device named in the options, or, without one, for the fastest available backend that runs
     * every node (the choice and its reason are in {@link CompiledModel#placement()}).
     */
    public CompiledModel compile(CompileOptions options) {
        String where = source == null ? graph.name() : source.toString();
        if (options.device() != null) {
            Backend backend = Backends.byName(options.device());
            if (backend.devices().stream().noneMatch(d -> d.available())) {
                throw new KilnException("device '" + backend.name() + "' is not available on this machine");
            }
            List<String> unsupported = Backends.unsupportedNodes(backend, graph);
            if (!unsupported.isEmpty()) {
                throw new ModelException(where + ": device '" + backend.name() + "' cannot run "
                        + unsupported.size() + " node(s): " + String.join("; ", unsupported.subList(0, Math.min(5, unsupported.size())))
                        + (unsupported.size() > 5 ? "; ..." : ""));
            }
            return new CompiledModel(graph, backend, backend.compile(graph, options), "device '" + backend.name() + "' was requested",
                    options.arenaBytes());
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
            return new CompiledModel(graph, backend, backend.compile(graph, options.withDevice(backend.name())), reason,
                    options.arenaBytes());
        }
        throw new ModelException(where + ": no device runs this model" + skipped);
    }
}
