package dev.kiln.ir.ops;

import dev.kiln.ir.ValueType;

import java.util.List;

/** Computes a node's output types from its input types, attributes and any constant inputs. */
@FunctionalInterface
public interface TypeInference {
    /** One type per declared output of the node; throws {@link InferenceException} when the inputs are invalid. */
    List<ValueType> infer(InferenceContext ctx);
}
