package dev.kiln.runtime;

import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.spi.Executable;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread's handle for running a compiled model. Inputs are checked against the model's declared inputs
 * (names, dtypes, ranks, static dims, and symbolic dims bound consistently) before anything runs.
 */
public final class Session implements AutoCloseable {
    private final Graph graph;
    private final Executable.Runner runner;
    private final ByteBuffer arena;

    Session(Graph graph, Executable.Runner runner, ByteBuffer arena) {
        this.graph = graph;
        this.runner = runner;
        this.arena = arena;
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

    /** Runs with any runtime values (tensors, sequences, optionals); returns every graph output by name, in order. */
    public Map<String, RuntimeValue> runValues(Map<String, ? extends RuntimeValue> inputs) {
        check(inputs);
        Map<String, RuntimeValue> out = runner.run(new HashMap<>(inputs));
        Map<String, RuntimeValue> ordered = new LinkedHashMap<>();
        for (Value v : graph.outputs()) ordered.put(v.name(), out.get(v.name()));
        return ordered;
    }

    private void check(Map<String, ? extends RuntimeValue> inputs) {
        Map<String, Long> symbols = new HashMap<>();
        for (String name : inputs.keySet()) {
            if (graph.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                throw new InputException("unknown input '" + name + "' (model inputs: "
                        + String.join(", ", graph.inputs().stream().map(Value::name).toList()) + ")");
            }
        }
        for (Value declared : graph.inputs()) {
            RuntimeValue given = inputs.get(declared.name());
            if (given == null) throw new InputException("missing input '" + declared.name() + "' of type " + declared.type());
            if (declared.type() instanceof TensorType want) {
                if (!(given instanceof Tensor t)) {
                    throw new InputException("input '" + declared.name() + "' must be a tensor " + want + ", got " + given.type());
                }
                checkTensor(declared.name(), want, t, symbols);
            }
        }
    }

    private static void checkTensor(String name, TensorType want, Tensor t, Map<String, Long> symbols) {
        if (t.dtype() != want.dtype()) {
            throw new InputException("input '" + name + "' must be " + want.dtype() + ", got " + t.dtype());
        }
        Shape shape = want.shape();
        if (!shape.hasRank()) return;
        long[] got = t.shape();
        if (got.length != shape.rank()) {
            throw new InputException("input '" + name + "' must have shape " + shape + ", got " + Shape.format(got));
        }
        for (int i = 0; i < got.length; i++) {
            Dim d = shape.dim(i);
            if (d.isStatic() && d.size() != got[i]) {
                throw new InputException("input '" + name + "' must have shape " + shape + ", got " + Shape.format(got));
            }
            if (d.isSymbolic()) {
                Long bound = symbols.putIfAbsent(d.symbol(), got[i]);
                if (bound != null && bound != got[i]) {
                    throw new InputException("input '" + name + "' binds dim '" + d.symbol() + "' to " + got[i]
                            + " but another input bound it to " + bound);
                }
            }
        }
    }

    @Override
    public void close() { runner.close(); }
}
