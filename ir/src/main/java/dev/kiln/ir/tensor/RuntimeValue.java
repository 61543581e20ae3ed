package dev.kiln.ir.tensor;

import dev.kiln.ir.ValueType;

/** What flows along a graph edge at run time: a tensor, a sequence of values, or an optional value. */
public sealed interface RuntimeValue permits Tensor, TensorSequence, OptionalValue {
    ValueType type();
}
