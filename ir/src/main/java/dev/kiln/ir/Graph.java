package dev.kiln.ir;

import dev.kiln.ir.tensor.Tensor;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed SSA graph: named inputs and outputs, nodes in topological order, and constant tensors (initializers)
 * keyed by value name. Subgraphs of control-flow ops are graphs too; they may read values of enclosing graphs by
 * name. {@code opsets} maps each op domain to the opset version the graph was written against (a subgraph's map
 * is its parent's).
 */
public record Graph(String name, List<Value> inputs, List<Value> outputs, List<Node> nodes,
                    Map<String, Tensor> constants, Map<String, Integer> opsets) {
    public Graph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
    }

    /** The opset version of a domain ({@code ""} or {@code ai.onnx} for the default one); 0 if not imported. */
    public int opset(String domain) {
        String key = domain.equals("ai.onnx") ? "" : domain;
        return opsets.getOrDefault(key, 0);
    }

    /** Every value defined in this graph (inputs, constants, node outputs), by name; nested graphs excluded. */
    public Map<String, Value> valuesByName() {
        Map<String, Value> byName = new HashMap<>();
        for (Value v : inputs) byName.put(v.name(), v);
        constants.forEach((n, t) -> byName.put(n, new Value(n, t.type())));
        for (Node node : nodes) {
            for (Value v : node.outputs()) {
                if (!v.isAbsent()) byName.put(v.name(), v);
            }
        }
        return byName;
    }

    public Graph withNodes(List<Node> newNodes) { return new Graph(name, inputs, outputs, newNodes, constants, opsets); }

    public Graph withConstants(Map<String, Tensor> newConstants) {
        return new Graph(name, inputs, outputs, nodes, newConstants, opsets);
    }

    public Graph withOutputs(List<Value> newOutputs) { return new Graph(name, inputs, newOutputs, nodes, constants, opsets); }

    public Graph withInputs(List<Value> newInputs) { return new Graph(name, newInputs, outputs, nodes, constants, opsets); }

    public Graph withOpsets(Map<String, Integer> newOpsets) { return new Graph(name, inputs, outputs, nodes, constants, newOpsets); }
}
