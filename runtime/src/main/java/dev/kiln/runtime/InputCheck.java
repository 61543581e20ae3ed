package dev.kiln.runtime;

import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Checks inputs against the model's declared inputs (names, dtypes, ranks, static dims, symbolic dims bound
 * consistently) and gathers them in the graph's order. Symbolic dims are numbered once, so a check that passes
 * allocates nothing: a session checks every run, however small the model.
 */
final class InputCheck {
    private final Graph graph;
    /** For each input and axis, the number of its symbolic dim, or -1 for a static or unknown dim. */
    private final int[][] symbolOf;
    private final long[] symbolValue;
    private final int[] symbolBoundBy;

    InputCheck(Graph graph) {
        this.graph = graph;
        Map<String, Integer> numbers = new HashMap<>();
        symbolOf = new int[graph.inputs().size()][];
        for (int i = 0; i < symbolOf.length; i++) {
            Shape shape = graph.inputs().get(i).type() instanceof TensorType t ? t.shape() : null;
            int rank = shape == null || !shape.hasRank() ? 0 : shape.rank();
            symbolOf[i] = new int[rank];
            for (int a = 0; a < rank; a++) {
                Dim d = shape.dim(a);
                symbolOf[i][a] = d.isSymbolic() ? numbers.computeIfAbsent(d.symbol(), k -> numbers.size()) : -1;
            }
        }
        symbolValue = new long[numbers.size()];
        symbolBoundBy = new int[numbers.size()];
    }

    /** Checks {@code inputs} and puts them into {@code ordered} in the graph's input order. */
    void gather(Map<String, ? extends RuntimeValue> inputs, RuntimeValue[] ordered) {
        java.util.Arrays.fill(symbolBoundBy, -1);
        for (int i = 0; i < ordered.length; i++) {
            Value declared = graph.inputs().get(i);
            RuntimeValue given = inputs.get(declared.name());
            if (given == null) {
                InputException unknown = unknownInput(inputs);
                throw unknown != null ? unknown : new InputException("missing input '" + declared.name() + "' of type " + declared.type());
            }
            if (declared.type() instanceof TensorType want) {
                if (!(given instanceof Tensor t)) {
                    throw new InputException("input '" + declared.name() + "' must be a tensor " + want + ", got " + given.type());
                }
                checkTensor(i, want, t);
            }
            ordered[i] = given;
        }
        if (inputs.size() != ordered.length) throw unknownInput(inputs);
    }

    /** The error for the first given name the model does not declare, or null when every name is declared. */
    private InputException unknownInput(Map<String, ? extends RuntimeValue> inputs) {
        for (String name : inputs.keySet()) {
            if (graph.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                return new InputException("unknown input '" + name + "' (model inputs: "
                        + String.join(", ", graph.inputs().stream().map(Value::name).toList()) + ")");
            }
        }
        return null;
    }

    private void checkTensor(int input, TensorType want, Tensor t) {
        String name = graph.inputs().get(input).name();
        if (t.dtype() != want.dtype()) throw new InputException("input '" + name + "' must be " + want.dtype() + ", got " + t.dtype());
        Shape shape = want.shape();
        if (!shape.hasRank()) return;
        if (t.rank() != shape.rank()) throw wrongShape(name, shape, t);
        for (int a = 0; a < shape.rank(); a++) {
            long got = t.dim(a);
            Dim d = shape.dim(a);
            if (d.isStatic() && d.size() != got) throw wrongShape(name, shape, t);
            int symbol = symbolOf[input][a];
            if (symbol < 0) continue;
            if (symbolBoundBy[symbol] < 0) {
                symbolBoundBy[symbol] = input;
                symbolValue[symbol] = got;
            } else if (symbolValue[symbol] != got) {
                throw new InputException("input '" + name + "' binds dim '" + d.symbol() + "' to " + got
                        + " but another input bound it to " + symbolValue[symbol]);
            }
        }
    }

    private static InputException wrongShape(String name, Shape shape, Tensor t) {
        return new InputException("input '" + name + "' must have shape " + shape + ", got " + Shape.format(t.shape()));
    }
}
