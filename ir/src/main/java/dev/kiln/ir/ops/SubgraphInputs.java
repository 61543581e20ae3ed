package dev.kiln.ir.ops;

import dev.kiln.ir.ValueType;

import java.util.List;

/**
 * The types an op hands to the inputs of one of its subgraphs (Loop: the iteration number, the condition and the
 * loop-carried values; Scan: the states and one slice of each scanned input). Lets {@link GraphTyping} type
 * subgraph inputs that a model leaves undeclared, as ONNX function expansions do.
 */
@FunctionalInterface
public interface SubgraphInputs {
    /**
     * One type per input of the subgraph held by {@code attribute}, computed from the node's input types and
     * attributes (its subgraphs are not yet typed); null, or null entries, where the node does not determine them.
     */
    List<ValueType> types(InferenceContext ctx, String attribute);
}
