package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes nodes none of whose outputs is read (by a node, a subgraph capture or a graph output), and constants
 * nothing reads. Walks backwards so a whole dead chain goes in one run; subgraph bodies are cleaned too.
 */
public final class EliminateDeadCode implements Pass {
    @Override
    public String name() { return "eliminate-dead-code"; }

    @Override
    public String summary() { return "remove nodes and constants whose values nothing reads"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) { return clean(graph, ctx); }

    private static Graph clean(Graph graph, PassContext ctx) {
        Set<String> live = new HashSet<>();
        graph.outputs().forEach(v -> live.add(v.name()));
        List<Node> kept = new ArrayList<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (node.outputs().stream().noneMatch(v -> !v.isAbsent() && live.contains(v.name()))) {
                ctx.rewrote(1);
                ctx.explain(node.name(), "removed: no output is read");
                continue;
            }
            Node cleaned = withCleanBodies(node, ctx);
            kept.add(cleaned);
            live.addAll(GraphUses.namesRead(cleaned));
        }
        Collections.reverse(kept);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        graph.constants().forEach((name, t) -> {
            if (live.contains(name)) constants.put(name, t);
            else ctx.rewrote(1);
        });
        return graph.withNodes(kept).withConstants(constants);
    }

    private static Node withCleanBodies(Node node, PassContext ctx) {
        if (node.attributes().values().stream().noneMatch(a -> a.kind() == Attribute.Kind.GRAPH || a.kind() == Attribute.Kind.GRAPHS)) {
            return node;
        }
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        node.attributes().forEach((name, a) -> attrs.put(name, switch (a.kind()) {
            case GRAPH -> Attribute.of(clean(a.asGraph(), ctx));
            case GRAPHS -> Attribute.graphs(a.asGraphs().stream().map(g -> clean(g, ctx)).toList());
            default -> a;
        }));
        return new Node(node.name(), node.domain(), node.op(), node.inputs(), node.outputs(), attrs);
    }

}
