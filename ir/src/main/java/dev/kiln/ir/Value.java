package dev.kiln.ir;

import java.util.Objects;

/**
 * A named SSA value and its type. Names are unique within a graph (and its nested subgraphs, which may read
 * values of enclosing graphs by name). A missing optional input of a node is {@link #ABSENT}.
 */
public record Value(String name, ValueType type) {
    /** Stands for an optional input that is not given (ONNX's empty input name). */
    public static final Value ABSENT = new Value("", null);

    public Value {
        Objects.requireNonNull(name, "name");
        if (!name.isEmpty()) Objects.requireNonNull(type, "type of " + name);
    }

    public boolean isAbsent() { return name.isEmpty(); }

    /** The tensor type; fails when the value is a sequence or optional. */
    public TensorType tensorType() {
        if (type instanceof TensorType t) return t;
        throw new IllegalStateException("value " + name + " is " + type + ", not a tensor");
    }

    @Override
    public String toString() { return isAbsent() ? "_" : "%" + name + ": " + type; }
}
