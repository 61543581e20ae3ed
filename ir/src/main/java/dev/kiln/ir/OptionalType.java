package dev.kiln.ir;

/** An ONNX optional: a value or none; prints as {@code opt<f32[2]>}. */
public record OptionalType(ValueType element) implements ValueType {
    @Override
    public String toString() { return "opt<" + element + ">"; }
}
