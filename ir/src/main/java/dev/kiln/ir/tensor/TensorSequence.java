package dev.kiln.ir.tensor;

import dev.kiln.ir.SequenceType;
import dev.kiln.ir.ValueType;

import java.util.List;

/** An ONNX sequence value. {@code elementType} is kept so an empty sequence still knows its type. */
public record TensorSequence(ValueType elementType, List<RuntimeValue> elements) implements RuntimeValue {
    public TensorSequence {
        elements = List.copyOf(elements);
    }

    @Override
    public ValueType type() { return new SequenceType(elementType); }
}
