package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** A model compiled for one backend. Thread-safe: any number of sessions may run at once. */
public final class CompiledModel {
    private final Graph graph;
    private final Backend backend;
    private final Executable executable;
    private final String placement;
    private final long arenaBytes;

    CompiledModel(Graph graph, Backend backend, Executable executable, String placement, long arenaBytes) {
        this.graph = graph;
        this.backend = backend;
        this.executable = executable;
        this.placement = placement;
        this.arenaBytes = arenaBytes;
    }

    public Graph graph() { return graph; }

    /** The device name the model runs on. */
    public String device() { return backend.name(); }

    /** Why this device was chosen. */
    public String placement() { return placement; }

    /** The kernel each node runs with, as the backend reports it (empty when it does not). */
    public List<KernelChoice> kernels() { return executable.kernels(); }

    /** Bytes of the scratch arena each session allocates (the planned size from {@link CompileOptions}). */
    public long arenaBytes() { return arenaBytes; }

    /** A session with its own arena of {@link #arenaBytes()} bytes, handed to the backend's runner. */
    public Session newSession() {
        if (arenaBytes > Integer.MAX_VALUE) {
            throw new KilnException("planned arena of " + arenaBytes + " bytes exceeds the 2 GiB a session can allocate");
        }
        ByteBuffer arena = ByteBuffer.allocateDirect((int) arenaBytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Session(graph, executable.newRunner(arena), arena);
    }
}
