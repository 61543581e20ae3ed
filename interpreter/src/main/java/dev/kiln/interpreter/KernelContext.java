package dev.kiln.interpreter;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * What a kernel sees of one node at run time: its input values ({@code null} for absent optional inputs), its
 * attributes with the schema's defaults, the opset version, the graph the node sits in, and a way to run subgraphs
 * (If, Loop, Scan) in the current scope.
 */
public final class KernelContext {
    private final Node node;
    private final OpSchema schema;
    private final List<RuntimeValue> inputs;
    private final int opset;
    private final Interpreter.Scope scope;
    private final Graph graph;

    KernelContext(Node node, List<RuntimeValue> inputs, int opset, Interpreter.Scope scope, Graph graph) {
        this.node = node;
        this.schema = OpRegistry.standard().find(node.domain(), node.op());
        this.inputs = inputs;
        this.opset = opset;
        this.scope = scope;
        this.graph = graph;
    }

    /**
     * A context for running another op's kernel on the caller's behalf (a kiln op delegating to a standard one):
     * same scope and graph, the given node, inputs and opset.
     */
    public KernelContext delegate(Node other, List<RuntimeValue> otherInputs, int otherOpset) {
        return new KernelContext(other, otherInputs, otherOpset, scope, graph);
    }

    public Node node() { return node; }

    public int opset() { return opset; }

    /**
     * The graph this node belongs to (a subgraph for nodes inside If, Loop or Scan bodies). Ops that name other
     * values of their graph, like Gradient's {@code xs} and {@code y}, read the nodes computing them from here.
     */
    public Graph graph() { return graph; }

    public int inputCount() { return inputs.size(); }

    public boolean hasInput(int i) { return i < inputs.size() && inputs.get(i) != null; }

    /** Input {@code i} as any runtime value, or null when absent. */
    public RuntimeValue value(int i) { return i < inputs.size() ? inputs.get(i) : null; }

    /** Input {@code i} as a tensor; fails when absent or not a tensor. */
    public Tensor input(int i) {
        RuntimeValue v = value(i);
        if (v == null) throw fail("input " + i + " is required");
        if (v instanceof Tensor t) return t;
        throw fail("input " + i + " must be a tensor, got " + v.type());
    }

    public List<RuntimeValue> inputs() { return inputs; }

    /** The declared type of output {@code i} (after inference). */
    public ValueType outputType(int i) { return node.output(i).type(); }

    public int outputCount() { return node.outputs().size(); }

    /** The attribute as set on the node, else the schema's default, else null. */
    public Attribute attr(String name) {
        Attribute a = node.attribute(name);
        if (a != null || schema == null) return a;
        AttrSpec spec = schema.attributes().get(name);
        return spec == null ? null : spec.defaultValue();
    }

    public long intAttr(String name, long fallback) {
        Attribute a = attr(name);
        return a == null ? fallback : a.asInt();
    }

    public float floatAttr(String name, float fallback) {
        Attribute a = attr(name);
        return a == null ? fallback : a.asFloat();
    }

    public String stringAttr(String name, String fallback) {
        Attribute a = attr(name);
        return a == null ? fallback : a.asString();
    }

    /** The ints attribute, or null when neither set nor defaulted. */
    public long[] intsAttr(String name) {
        Attribute a = attr(name);
        return a == null ? null : a.asInts();
    }

    public float[] floatsAttr(String name) {
        Attribute a = attr(name);
        return a == null ? null : a.asFloats();
    }

    public Graph graphAttr(String name) {
        Attribute a = attr(name);
        if (a == null) throw fail("attribute '" + name + "' is required");
        return a.asGraph();
    }

    /**
     * Runs a subgraph with its formal inputs bound to {@code args}; it may read every value visible here. Returns its
     * outputs in order.
     */
    public List<RuntimeValue> runSubgraph(Graph body, List<RuntimeValue> args) {
        return Interpreter.runNested(body, args, scope);
    }

    /** A run-time error naming the node. */
    public KernelException fail(String message) { return new KernelException(node.describe() + ": " + message); }
}
