package dev.kiln.ir.tensor;

import dev.kiln.ir.OptionalType;
import dev.kiln.ir.ValueType;

/** An ONNX optional value: {@code element} is null when the optional holds nothing. */
public record OptionalValue(ValueType elementType, RuntimeValue element) implements RuntimeValue {
    public boolean isPresent() { return element != null; }

    @Override
    public ValueType type() { return new OptionalType(elementType); }
}
