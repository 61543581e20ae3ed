package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Executable;

/** A model compiled for one backend. Thread-safe: any number of sessions may run at once. */
public final class CompiledModel {
    private final Graph graph;
    private final Backend backend;
    private final Executable executable;
    private final String placement;

    CompiledModel(Graph graph, Backend backend, Executable executable, String placement) {
        this.graph = graph;
        this.backend = backend;
        this.executable = executable;
        this.placement = placement;
    }

    public Graph graph() { return graph; }

    /** The device name the model runs on. */
    public String device() { return backend.name(); }

    /** Why this device was chosen. */
    public String placement() { return placement; }

    public Session newSession() { return new Session(graph, executable.newRunner()); }
}
