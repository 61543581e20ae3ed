package dev.kiln.ir;

/** An ONNX sequence: a list of values of one element type; prints as {@code seq<f32[?]>}. */
public record SequenceType(ValueType element) implements ValueType {
    @Override
    public String toString() { return "seq<" + element + ">"; }
}
