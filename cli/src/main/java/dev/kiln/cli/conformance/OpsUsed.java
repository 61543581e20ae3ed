package dev.kiln.cli.conformance;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The distinct qualified ops of a graph, subgraphs (If, Loop, Scan bodies) included, sorted. */
public final class OpsUsed {
    private OpsUsed() {}

    public static List<String> of(Graph graph) {
        Set<String> ops = new TreeSet<>();
        collect(graph, ops);
        return List.copyOf(ops);
    }

    private static void collect(Graph graph, Set<String> ops) {
        for (Node node : graph.nodes()) {
            ops.add(node.qualifiedOp());
            for (Attribute a : node.attributes().values()) {
                if (a.kind() == Attribute.Kind.GRAPH) collect(a.asGraph(), ops);
                if (a.kind() == Attribute.Kind.GRAPHS) a.asGraphs().forEach(g -> collect(g, ops));
            }
        }
    }
}
