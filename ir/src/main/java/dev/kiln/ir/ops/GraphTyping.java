package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Computes the type of every value of a graph by running each node's schema inference in order. Inference sees
 * constant inputs (so a Reshape whose shape is a constant gets a static shape) and, inside subgraphs, the types
 * and constants of the enclosing graphs, and the symbolic values of integers computed from shapes ({@link
 * ShapeValues}: a Reshape whose target is built from a Shape gets the dims it will have). Where the model declares
 * a type for a value, the result keeps the more precise of declared and inferred (see {@link TypeMerging}).
 */
public final class GraphTyping {
    private final OpRegistry registry;
    private final Function<String, ValueType> declared;

    private GraphTyping(OpRegistry registry, Function<String, ValueType> declared) {
        this.registry = registry;
        this.declared = declared;
    }

    /**
     * The typed graph. The main graph's inputs keep their types; the types every other value carries on entry are
     * ignored, and {@code declared} gives the type the model states for a value name (null if none). A subgraph
     * input takes its declared type, else the type its control-flow op passes in (see {@link BodyInputTypes}).
     * Throws {@link InferenceException} naming the node when an op is unknown, its arity is wrong, inference fails,
     * or a declared type contradicts the inferred one.
     */
    public static Graph type(Graph graph, OpRegistry registry, Function<String, ValueType> declared) {
        return new GraphTyping(registry, declared).typeGraph(graph, null);
    }

    /** Types with the standard registry. */
    public static Graph type(Graph graph, Function<String, ValueType> declared) {
        return type(graph, OpRegistry.standard(), declared);
    }

    /** What is visible at a point of a graph: its values so far, then those of the enclosing graphs. */
    private static final class Scope {
        final Scope parent;
        final Map<String, ValueType> types = new HashMap<>();
        final Map<String, Tensor> constants = new HashMap<>();
        final Map<String, List<DimProduct>> shapeValues = new HashMap<>();

        Scope(Scope parent) { this.parent = parent; }

        List<DimProduct> shapeValue(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.types.containsKey(name)) return s.shapeValues.get(name);
            }
            return null;
        }

        ValueType type(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                ValueType t = s.types.get(name);
                if (t != null) return t;
            }
            return null;
        }

        Tensor constant(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.types.containsKey(name)) return s.constants.get(name); // an inner value hides an outer constant
            }
            return null;
        }
    }

    private Graph typeGraph(Graph graph, Scope outer) {
        return typeGraph(graph, graph.inputs(), outer);
    }

    private Graph typeGraph(Graph graph, List<Value> inputs, Scope outer) {
        Scope scope = new Scope(outer);
        for (Value in : inputs) scope.types.put(in.name(), in.type());
        graph.constants().forEach((name, t) -> {
            scope.types.put(name, t.type());
            scope.constants.put(name, t);
        });
        List<Node> nodes = new ArrayList<>(graph.nodes().size());
        for (Node node : graph.nodes()) nodes.add(typeNode(node, graph, scope));
        List<Value> outputs = new ArrayList<>(graph.outputs().size());
        for (Value out : graph.outputs()) {
            ValueType t = scope.type(out.name());
            if (t == null) throw new InferenceException("graph '" + graph.name() + "' output '" + out.name() + "' is not defined");
            outputs.add(new Value(out.name(), withDeclared(out.name(), t, "graph '" + graph.name() + "'")));
        }
        return new Graph(graph.name(), inputs, outputs, nodes, graph.constants(), graph.opsets());
    }

    private Node typeNode(Node node, Graph graph, Scope scope) {
        OpSchema schema = registry.find(node.domain(), node.op());
        if (schema == null) throw new InferenceException(node.describe() + ": unknown op");
        checkArity(node, schema);
        List<Value> inputs = new ArrayList<>(node.inputs().size());
        for (Value in : node.inputs()) {
            if (in.isAbsent()) {
                inputs.add(Value.ABSENT);
                continue;
            }
            ValueType t = scope.type(in.name());
            if (t == null) throw new InferenceException(node.describe() + ": input '" + in.name() + "' is not defined before the node");
            inputs.add(new Value(in.name(), t));
        }
        Node inputsTyped = new Node(node.name(), node.domain(), node.op(), inputs, node.outputs(), node.attributes());
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        node.attributes().forEach((name, a) -> attrs.put(name, typeSubgraphs(inputsTyped, name, a, graph.opset(node.domain()), scope)));
        Node withInputs = new Node(node.name(), node.domain(), node.op(), inputs, node.outputs(), attrs);
        InferenceContext ctx = new InferenceContext(withInputs, schema, graph.opset(node.domain()), scope::constant, scope::type, scope::shapeValue);
        List<ValueType> inferred;
        try {
            inferred = schema.inference().infer(ctx);
        } catch (InferenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InferenceException(node.describe() + ": type inference failed: " + e);
        }
        List<Value> outputs = new ArrayList<>(node.outputs().size());
        for (int i = 0; i < node.outputs().size(); i++) {
            Value out = node.output(i);
            if (out.isAbsent()) {
                outputs.add(Value.ABSENT);
                continue;
            }
            ValueType t = inferred == null || i >= inferred.size() ? null : inferred.get(i);
            if (t == null) throw new InferenceException(node.describe() + ": type inference gave no type for output " + i);
            t = withDeclared(out.name(), t, node.describe());
            scope.types.put(out.name(), t);
            outputs.add(new Value(out.name(), t));
        }
        List<DimProduct> value = outputs.size() == 1 ? ShapeValues.of(ctx, outputs.getFirst().type()) : null;
        if (value != null) scope.shapeValues.put(outputs.getFirst().name(), value);
        return new Node(node.name(), node.domain(), node.op(), inputs, outputs, attrs);
    }

    private Attribute typeSubgraphs(Node node, String name, Attribute a, int opset, Scope scope) {
        return switch (a.kind()) {
            case GRAPH -> Attribute.of(typeBody(node, name, a.asGraph(), opset, scope));
            case GRAPHS -> Attribute.graphs(a.asGraphs().stream().map(g -> typeBody(node, name, g, opset, scope)).toList());
            default -> a;
        };
    }

    private Graph typeBody(Node node, String attribute, Graph body, int opset, Scope scope) {
        List<ValueType> passed = null;
        List<Value> inputs = new ArrayList<>(body.inputs().size());
        for (int i = 0; i < body.inputs().size(); i++) {
            String name = body.inputs().get(i).name();
            ValueType t = declared.apply(name);
            if (t == null) {
                if (passed == null) passed = BodyInputTypes.of(node, attribute, opset);
                if (passed == null || passed.size() != body.inputs().size()) {
                    throw new InferenceException(node.describe() + ": subgraph '" + attribute + "' input '" + name
                            + "' has no type, and the op does not tell it");
                }
                t = passed.get(i);
            }
            inputs.add(new Value(name, t));
        }
        return typeGraph(body, inputs, scope);
    }

    private static void checkArity(Node node, OpSchema schema) {
        int in = node.inputs().size();
        int out = node.outputs().size();
        if (in < schema.minInputs() || in > schema.maxInputs()) {
            throw new InferenceException(node.describe() + ": takes " + range(schema.minInputs(), schema.maxInputs()) + " inputs, got " + in);
        }
        if (out < schema.minOutputs() || out > schema.maxOutputs()) {
            throw new InferenceException(node.describe() + ": has " + range(schema.minOutputs(), schema.maxOutputs()) + " outputs, got " + out);
        }
    }

    private static String range(int min, int max) {
        if (min == max) return Integer.toString(min);
        return max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
    }

    private ValueType withDeclared(String name, ValueType inferred, String where) {
        ValueType d = declared.apply(name);
        if (d == null) return inferred;
        try {
            return TypeMerging.merge(d, inferred);
        } catch (IllegalArgumentException e) {
            throw new InferenceException(where + ": value '" + name + "': " + e.getMessage());
        }
    }
}
