package dev.kiln.ir;

import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A node attribute: one of ONNX's attribute kinds. Floats are ONNX float32 and kept as {@code float} so that
 * they print and parse back exactly; ints are int64.
 */
public final class Attribute {
    public enum Kind { FLOAT, INT, STRING, TENSOR, GRAPH, TYPE, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, TYPES }

    private final Kind kind;
    private final Object value;

    private Attribute(Kind kind, Object value) {
        this.kind = kind;
        this.value = Objects.requireNonNull(value, "attribute value");
    }

    public static Attribute of(float v) { return new Attribute(Kind.FLOAT, v); }
    public static Attribute of(long v) { return new Attribute(Kind.INT, v); }
    public static Attribute of(String v) { return new Attribute(Kind.STRING, v); }
    public static Attribute of(Tensor v) { return new Attribute(Kind.TENSOR, v); }
    public static Attribute of(Graph v) { return new Attribute(Kind.GRAPH, v); }
    public static Attribute of(ValueType v) { return new Attribute(Kind.TYPE, v); }
    public static Attribute floats(float... v) { return new Attribute(Kind.FLOATS, v.clone()); }
    public static Attribute ints(long... v) { return new Attribute(Kind.INTS, v.clone()); }
    public static Attribute strings(List<String> v) { return new Attribute(Kind.STRINGS, List.copyOf(v)); }
    public static Attribute tensors(List<Tensor> v) { return new Attribute(Kind.TENSORS, List.copyOf(v)); }
    public static Attribute graphs(List<Graph> v) { return new Attribute(Kind.GRAPHS, List.copyOf(v)); }
    public static Attribute types(List<ValueType> v) { return new Attribute(Kind.TYPES, List.copyOf(v)); }

    public Kind kind() { return kind; }

    public float asFloat() { return (Float) expect(Kind.FLOAT); }
    public long asInt() { return (Long) expect(Kind.INT); }
    public String asString() { return (String) expect(Kind.STRING); }
    public Tensor asTensor() { return (Tensor) expect(Kind.TENSOR); }
    public Graph asGraph() { return (Graph) expect(Kind.GRAPH); }
    public ValueType asType() { return (ValueType) expect(Kind.TYPE); }
    public float[] asFloats() { return ((float[]) expect(Kind.FLOATS)).clone(); }
    public long[] asInts() { return ((long[]) expect(Kind.INTS)).clone(); }
    @SuppressWarnings("unchecked") public List<String> asStrings() { return (List<String>) expect(Kind.STRINGS); }
    @SuppressWarnings("unchecked") public List<Tensor> asTensors() { return (List<Tensor>) expect(Kind.TENSORS); }
    @SuppressWarnings("unchecked") public List<Graph> asGraphs() { return (List<Graph>) expect(Kind.GRAPHS); }
    @SuppressWarnings("unchecked") public List<ValueType> asTypes() { return (List<ValueType>) expect(Kind.TYPES); }

    private Object expect(Kind wanted) {
        if (kind != wanted) throw new IllegalStateException("attribute is " + kind + ", not " + wanted);
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attribute a) || a.kind != kind) return false;
        return switch (kind) {
            case FLOATS -> Arrays.equals((float[]) value, (float[]) a.value);
            case INTS -> Arrays.equals((long[]) value, (long[]) a.value);
            case FLOAT -> Float.floatToIntBits((Float) value) == Float.floatToIntBits((Float) a.value);
            default -> value.equals(a.value);
        };
    }

    @Override
    public int hashCode() {
        return switch (kind) {
            case FLOATS -> Arrays.hashCode((float[]) value);
            case INTS -> Arrays.hashCode((long[]) value);
            default -> value.hashCode();
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FLOATS -> Arrays.toString((float[]) value);
            case INTS -> Arrays.toString((long[]) value);
            default -> String.valueOf(value);
        };
    }
}
