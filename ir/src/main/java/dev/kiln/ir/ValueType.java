package dev.kiln.ir;

/** The type of a value: a tensor, a sequence of values, or an optional value. */
public sealed interface ValueType permits TensorType, SequenceType, OptionalType {
}
