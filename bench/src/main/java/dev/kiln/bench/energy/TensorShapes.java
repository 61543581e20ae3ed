package dev.kiln.bench.energy;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.runtime.KilnException;

import java.util.HashMap;
import java.util.Map;

/**
 * The concrete shapes of a typed graph's tensors (inputs, constants, node outputs), for counting work and traffic.
 * Every lookup names the node asking, so an unresolved shape fails with one line saying where.
 */
final class TensorShapes {
    private final Map<String, TensorType> types = new HashMap<>();

    TensorShapes(Graph typed) {
        typed.valuesByName().forEach((name, v) -> { if (v.type() instanceof TensorType t) types.put(name, t); });
    }

    /** The static shape of {@code v}, as read by {@code node}. */
    long[] shape(Node node, Value v) {
        TensorType t = types.get(v.name());
        if (t == null && v.type() instanceof TensorType own) t = own;
        if (t == null || !t.shape().isStatic()) {
            throw new KilnException("energy: " + node.describe() + ": the shape of '" + v.name() + "' is not static ("
                    + (t == null ? "untyped" : t) + "); give concrete input shapes");
        }
        return t.shape().toArray();
    }

    TensorType type(Node node, Value v) {
        shape(node, v);
        TensorType t = types.get(v.name());
        return t != null ? t : v.tensorType();
    }

    long elements(Node node, Value v) {
        long n = 1;
        for (long d : shape(node, v)) n *= d;
        return n;
    }

    /** Storage bytes of {@code v}; sub-byte types are packed (4-bit: two per byte). */
    long bytes(Node node, Value v) {
        int bits = type(node, v).dtype().bits();
        return (elements(node, v) * bits + 7) / 8;
    }
}
