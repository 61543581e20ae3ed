package dev.kiln.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operation: op name and domain ({@code ""} is the default ONNX domain), inputs and outputs, attributes.
 * Immutable; rewrites build new nodes. A missing optional input is {@link Value#ABSENT}.
 */
public record Node(String name, String domain, String op, List<Value> inputs, List<Value> outputs,
                   Map<String, Attribute> attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** {@code Conv} in the default domain, {@code com.microsoft:Foo} elsewhere. */
    public String qualifiedOp() { return domain.isEmpty() ? op : domain + ":" + op; }

    public Attribute attribute(String attrName) { return attributes.get(attrName); }

    public boolean hasAttribute(String attrName) { return attributes.containsKey(attrName); }

    /** The i-th input, or {@link Value#ABSENT} when it is past the end (trailing optional inputs may be left out). */
    public Value input(int i) { return i < inputs.size() ? inputs.get(i) : Value.ABSENT; }

    public Value output(int i) { return outputs.get(i); }

    /** Identifies a node in error messages: {@code node 'conv1' (Conv)}. */
    public String describe() { return "node '" + name + "' (" + qualifiedOp() + ")"; }
}
