package dev.kiln.frontend.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.OpRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finds every node of a graph (subgraphs included) whose op the registry does not know. */
final class OpSupport {
    private OpSupport() {}

    /** One entry per unknown node, e.g. {@code node 'n7' (ai.onnx.ml:Bar, opset 3)}, in graph order. */
    static List<String> unsupported(Graph graph, OpRegistry registry) {
        List<String> found = new ArrayList<>();
        collect(graph, registry, found);
        return found;
    }

    /** The distinct qualified names of the unknown ops, in graph order. */
    static List<String> unsupportedOps(Graph graph, OpRegistry registry) {
        Set<String> ops = new LinkedHashSet<>();
        collectOps(graph, registry, ops);
        return List.copyOf(ops);
    }

    private static void collectOps(Graph graph, OpRegistry registry, Set<String> ops) {
        for (Node node : graph.nodes()) {
            if (registry.find(node.domain(), node.op()) == null) ops.add(node.qualifiedOp());
            for (Attribute a : node.attributes().values()) {
                if (a.kind() == Attribute.Kind.GRAPH) collectOps(a.asGraph(), registry, ops);
                if (a.kind() == Attribute.Kind.GRAPHS) for (Graph g : a.asGraphs()) collectOps(g, registry, ops);
            }
        }
    }

    private static void collect(Graph graph, OpRegistry registry, List<String> found) {
        for (Node node : graph.nodes()) {
            if (registry.find(node.domain(), node.op()) == null) {
                int opset = graph.opset(node.domain());
                found.add("node '" + node.name() + "' (" + node.qualifiedOp() + ", "
                        + (opset == 0 ? "domain not imported" : "opset " + opset) + ")");
            }
            for (Attribute a : node.attributes().values()) {
                if (a.kind() == Attribute.Kind.GRAPH) collect(a.asGraph(), registry, found);
                if (a.kind() == Attribute.Kind.GRAPHS) for (Graph g : a.asGraphs()) collect(g, registry, found);
            }
        }
    }
}
