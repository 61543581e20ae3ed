package dev.kiln.interpreter;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: runs one op on given inputs through the registry's type inference and the interpreter, the same
 * path a one-node imported model takes. A null input stands for an absent optional input.
 */
public final class OneNode {
    private final String domain;
    private final String op;
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private int opset = 21;
    private int outputs = 1;

    private OneNode(String domain, String op) {
        this.domain = domain;
        this.op = op;
    }

    public static OneNode op(String op) { return new OneNode("", op); }

    public static OneNode op(String domain, String op) { return new OneNode(domain, op); }

    public OneNode attr(String name, Attribute value) { attributes.put(name, value); return this; }

    public OneNode opset(int version) { opset = version; return this; }

    public OneNode outputs(int count) { outputs = count; return this; }

    /** Runs and returns every output. */
    public List<RuntimeValue> runValues(RuntimeValue... inputs) {
        OpSchema schema = OpRegistry.standard().find(domain, op);
        if (schema == null) throw new IllegalStateException("no schema for " + op);
        List<Value> ins = new ArrayList<>();
        Map<String, RuntimeValue> feed = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                ins.add(Value.ABSENT);
                continue;
            }
            Value v = new Value("in" + i, inputs[i].type());
            ins.add(v);
            feed.put(v.name(), inputs[i]);
        }
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add(new Value("out" + i, dev.kiln.ir.TensorType.of(dev.kiln.ir.DType.F32)));
        Node draft = new Node(op + "_0", domain, op, ins, outs, attributes);
        List<ValueType> types = schema.inference().infer(
                new InferenceContext(draft, schema, opset, name -> null, name -> null));
        List<Value> typed = new ArrayList<>();
        for (int i = 0; i < outputs; i++) typed.add(new Value("out" + i, types.get(i)));
        Node node = new Node(op + "_0", domain, op, ins, typed, attributes);
        Graph g = new Graph("one_node", ins.stream().filter(v -> !v.isAbsent()).toList(), typed, List.of(node),
                Map.of(), Map.of(domain, opset));
        Map<String, RuntimeValue> result = Interpreter.run(g, feed);
        List<RuntimeValue> ordered = new ArrayList<>();
        for (Value v : typed) ordered.add(result.get(v.name()));
        return ordered;
    }

    /** Runs and returns the first output as a tensor. */
    public Tensor run(RuntimeValue... inputs) { return (Tensor) runValues(inputs).getFirst(); }
}
