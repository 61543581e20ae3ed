package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.spi.Executable;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread's handle for running a compiled model. Inputs are checked against the model's declared inputs
 * (names, dtypes, ranks, static dims, and symbolic dims bound consistently) before anything runs.
 *
 * <p>Two ways to run: {@link #run(Map)} returns outputs the caller owns (fresh tensors every run); {@link
 * #run(Map, Map)} writes into output tensors the caller made once (ONNX Runtime's IoBinding is the precedent), and
 * on a backend that reuses its buffers (cpu) a warm session then allocates nothing per inference.
 */
public final class Session implements AutoCloseable {
    private final Graph graph;
    private final Executable.Runner runner;
    private final ByteBuffer arena;
    private final InputCheck inputCheck;
    private final RuntimeValue[] inputs;
    private final RuntimeValue[] outputs;

    Session(Graph graph, Executable.Runner runner, ByteBuffer arena) {
        this.graph = graph;
        this.runner = runner;
        this.arena = arena;
        this.inputCheck = new InputCheck(graph);
        this.inputs = new RuntimeValue[graph.inputs().size()];
        this.outputs = new RuntimeValue[graph.outputs().size()];
    }

    /** Size of this session's scratch arena for intermediate tensors (0 when the model was compiled without a plan). */
    public long arenaBytes() { return arena.capacity(); }

    /** Runs with tensor inputs; every output must be a tensor. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, RuntimeValue> out = runValues(new LinkedHashMap<>(inputs));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        out.forEach((name, v) -> {
            if (!(v instanceof Tensor t)) throw new KilnException("output '" + name + "' is a " + v.type() + ", not a tensor: use runValues");
            tensors.put(name, t);
        });
        return tensors;
    }

    /**
     * Runs with tensor inputs and copies every graph output into the caller's tensor of that name in {@code outputs}
     * (same dtype and shape, e.g. made once with {@link Tensor#zeros} or as a {@link Tensor#view} of the caller's
     * buffer, and not handed to anything that treats it as immutable). Inputs may be the same tensors every run,
     * their contents rewritten in between. Nothing is allocated when the inputs pass their checks.
     */
    public void run(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
        inputCheck.gather(inputs, this.inputs);
        try {
            runner.run(graph.inputs(), this.inputs, graph.outputs(), this.outputs);
            for (int i = 0; i < this.outputs.length; i++) copyOut(graph.outputs().get(i), this.outputs[i], outputs);
        } finally {
            java.util.Arrays.fill(this.inputs, null);
            java.util.Arrays.fill(this.outputs, null);
        }
    }

    /**
     * As {@link #run(Map, Map)}, adding each node's wall time in nanoseconds to {@code nodeNanos} (one entry per node
     * of the compiled graph, in its order); only this call times nodes, so {@link #run(Map, Map)} pays nothing for it.
     * Throws when the device does not time its nodes.
     */
    public void runTimed(Map<String, Tensor> inputs, Map<String, Tensor> outputs, long[] nodeNanos) {
        if (nodeNanos.length != graph.nodes().size()) {
            throw new IllegalArgumentException("nodeNanos has " + nodeNanos.length + " entries for " + graph.nodes().size() + " nodes");
        }
        inputCheck.gather(inputs, this.inputs);
        try {
            if (!runner.runTimed(graph.inputs(), this.inputs, graph.outputs(), this.outputs, nodeNanos)) {
                throw new KilnException("this device does not time its nodes (--profile runs on --device cpu)");
            }
            for (int i = 0; i < this.outputs.length; i++) copyOut(graph.outputs().get(i), this.outputs[i], outputs);
        } finally {
            java.util.Arrays.fill(this.inputs, null);
            java.util.Arrays.fill(this.outputs, null);
        }
    }

    private static void copyOut(Value declared, RuntimeValue produced, Map<String, Tensor> outputs) {
        Tensor into = outputs.get(declared.name());
        if (into == null) throw new InputException("no output tensor given for '" + declared.name() + "'");
        if (!(produced instanceof Tensor t)) throw new KilnException("output '" + declared.name() + "' is a " + produced.type() + ", not a tensor: use runValues");
        if (into.dtype() != t.dtype() || !sameShape(into, t)) {
            throw new InputException("output '" + declared.name() + "' is " + t.dtype() + Shape.format(t.shape())
                    + " but the tensor given for it is " + into.dtype() + Shape.format(into.shape()));
        }
        into.copyFrom(t);
    }

    private static boolean sameShape(Tensor a, Tensor b) {
        if (a.rank() != b.rank()) return false;
        for (int i = 0; i < a.rank(); i++) if (a.dim(i) != b.dim(i)) return false;
        return true;
    }

    /** Runs with any runtime values (tensors, sequences, optionals); returns every graph output by name, in order. */
    public Map<String, RuntimeValue> runValues(Map<String, ? extends RuntimeValue> inputs) {
        RuntimeValue[] ordered = new RuntimeValue[graph.inputs().size()];
        inputCheck.gather(inputs, ordered);
        Map<String, RuntimeValue> byName = new java.util.HashMap<>();
        for (int i = 0; i < ordered.length; i++) byName.put(graph.inputs().get(i).name(), ordered[i]);
        Map<String, RuntimeValue> out = runner.run(byName);
        Map<String, RuntimeValue> result = new LinkedHashMap<>();
        for (Value v : graph.outputs()) result.put(v.name(), out.get(v.name()));
        return result;
    }

    @Override
    public void close() { runner.close(); }
}
