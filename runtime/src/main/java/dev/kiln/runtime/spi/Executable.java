package dev.kiln.runtime.spi;

import dev.kiln.ir.tensor.RuntimeValue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled by a backend. It is immutable and shared by every session of a compiled model; each session
 * gets its own {@link Runner}, which holds whatever per-run state (scratch memory) the backend needs.
 */
public interface Executable {
    Runner newRunner();

    /**
     * A runner that may place intermediate tensors in {@code arena}, the session's one scratch buffer sized by the
     * memory plan (offsets in the graph's {@code kiln.arena_offsets} node attributes). Backends that allocate their
     * own tensors ignore it.
     */
    default Runner newRunner(ByteBuffer arena) { return newRunner(); }

    /** The kernel each node runs with, in graph order; empty when the backend does not say. */
    default List<KernelChoice> kernels() { return List.of(); }

    /** The kernels generated and compiled for this executable, which a saved artifact keeps; none by default. */
    default List<CompiledKernel> compiledKernels() { return List.of(); }

    /** Runs the executable; not thread-safe: one runner per thread. */
    interface Runner extends AutoCloseable {
        /** Inputs by graph input name; returns every graph output by name. */
        Map<String, RuntimeValue> run(Map<String, RuntimeValue> inputs);

        @Override
        void close();
    }
}
