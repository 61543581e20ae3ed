package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What cleanup passes share once they have decided a rewrite: renaming values everywhere they are read (subgraph
 * captures included) and re-typing the graph so every use carries its definition's type again.
 */
public final class GraphRewiring {
    private GraphRewiring() {}

    /**
     * Renames values in node inputs and outputs and in graph outputs, in nested graphs too. ONNX value names are
     * unique across nesting levels, so a rename never hits an unrelated inner value.
     */
    public static Graph rename(Graph graph, Map<String, String> names) {
        if (names.isEmpty()) return graph;
        List<Node> nodes = graph.nodes().stream().map(n -> rename(n, names)).toList();
        List<Value> outputs = graph.outputs().stream().map(v -> rename(v, names)).toList();
        return graph.withNodes(nodes).withOutputs(outputs);
    }

    private static Node rename(Node node, Map<String, String> names) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        node.attributes().forEach((k, a) -> attrs.put(k, switch (a.kind()) {
            case GRAPH -> Attribute.of(rename(a.asGraph(), names));
            case GRAPHS -> Attribute.graphs(a.asGraphs().stream().map(g -> rename(g, names)).toList());
            default -> a;
        }));
        return new Node(node.name(), node.domain(), node.op(),
                node.inputs().stream().map(v -> rename(v, names)).toList(),
                node.outputs().stream().map(v -> rename(v, names)).toList(), attrs);
    }

    private static Value rename(Value v, Map<String, String> names) {
        if (v.isAbsent()) return v;
        String to = names.get(v.name());
        return to == null ? v : new Value(to, v.type());
    }

    /**
     * Re-runs type inference over the whole graph, keeping each surviving value's previous type where it is more
     * precise (so types only sharpen: a Reshape fed a now-constant shape gets a static type).
     */
    public static Graph retype(Graph graph) {
        Map<String, ValueType> previous = new HashMap<>();
        collectTypes(graph, previous);
        return GraphTyping.type(graph, previous::get);
    }

    private static void collectTypes(Graph g, Map<String, ValueType> types) {
        g.inputs().forEach(v -> types.put(v.name(), v.type()));
        g.outputs().forEach(v -> types.put(v.name(), v.type()));
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) if (!v.isAbsent()) types.put(v.name(), v.type());
            for (Attribute a : n.attributes().values()) {
                if (a.kind() == Attribute.Kind.GRAPH) collectTypes(a.asGraph(), types);
                else if (a.kind() == Attribute.Kind.GRAPHS) a.asGraphs().forEach(b -> collectTypes(b, types));
            }
        }
    }

    public static boolean hasSubgraph(Node node) {
        return node.attributes().values().stream()
                .anyMatch(a -> a.kind() == Attribute.Kind.GRAPH || a.kind() == Attribute.Kind.GRAPHS);
    }

    /** The integer contents of a constant input, or null when the input is absent or not a constant. */
    public static long[] constantInts(Graph graph, Value v) {
        if (v.isAbsent()) return null;
        Tensor t = graph.constants().get(v.name());
        return t == null || !t.dtype().isInteger() ? null : t.toLongs();
    }
}
