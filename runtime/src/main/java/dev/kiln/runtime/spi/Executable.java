package dev.kiln.runtime.spi;

import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;

import java.nio.ByteBuffer;
import java.util.HashMap;
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

        /**
         * Runs with {@code inputs} in the order of the graph's inputs and puts every graph output, in the graph's
         * order, into {@code outputs}. The outputs may be the runner's own buffers, valid only until its next run;
         * callers copy what they keep. A backend that reuses its buffers implements this without allocating; the
         * default goes through {@link #run(Map)}.
         */
        default void run(List<Value> inputNames, RuntimeValue[] inputs, List<Value> outputNames, RuntimeValue[] outputs) {
            Map<String, RuntimeValue> byName = new HashMap<>();
            for (int i = 0; i < inputs.length; i++) byName.put(inputNames.get(i).name(), inputs[i]);
            Map<String, RuntimeValue> out = run(byName);
            for (int i = 0; i < outputs.length; i++) outputs[i] = out.get(outputNames.get(i).name());
        }

        /**
         * As {@link #run(List, RuntimeValue[], List, RuntimeValue[])}, adding each node's wall time in nanoseconds to
         * {@code nodeNanos} (one entry per node, in graph order): the per-node profile of {@code --profile}. Returns
         * false, running nothing, when the backend does not time its nodes.
         */
        default boolean runTimed(List<Value> inputNames, RuntimeValue[] inputs, List<Value> outputNames, RuntimeValue[] outputs,
                                 long[] nodeNanos) {
            return false;
        }

        @Override
        void close();
    }
}
