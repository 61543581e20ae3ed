package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges nodes that compute the same values: same op and domain, same inputs (after earlier merges, so whole
 * duplicate chains collapse in one run), equal attributes, outputs present at the same positions. The first stays
 * and readers of the second read the first's outputs. Constants with the same element type, shape and contents merge
 * the same way. Random ops never merge (each draws its own values), nor nodes with subgraphs, nor a duplicate that
 * writes a graph output (its name must survive).
 */
public final class EliminateCommonSubexpressions implements Pass {
    /** What makes two nodes compute the same values. */
    private record Key(String domain, String op, List<String> inputs, Map<String, Attribute> attributes, List<Boolean> outputsPresent) {}

    @Override
    public String name() { return "eliminate-common-subexpressions"; }

    @Override
    public String summary() { return "merge identical nodes and identical constants"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphUses uses = GraphUses.of(graph);
        Map<String, String> renames = new HashMap<>();
        Map<String, Tensor> constants = mergeConstants(graph, uses, renames, ctx);
        Map<Key, Node> seen = new HashMap<>();
        List<Node> kept = new ArrayList<>();
        for (Node node : graph.nodes()) {
            Key key = new Key(node.domain(), node.op(),
                    node.inputs().stream().map(v -> v.isAbsent() ? "" : renames.getOrDefault(v.name(), v.name())).toList(),
                    node.attributes(), node.outputs().stream().map(v -> !v.isAbsent()).toList());
            Node first = seen.get(key);
            if (first == null) {
                seen.put(key, node);
                kept.add(node);
            } else if (RandomOps.isRandom(node)) {
                kept.add(node);
                ctx.explain(node.name(), "not merged with '" + first.name() + "': a random op draws new values each time");
            } else if (GraphRewiring.hasSubgraph(node)) {
                kept.add(node);
                ctx.explain(node.name(), "not merged with '" + first.name() + "': it has a subgraph");
            } else if (node.outputs().stream().anyMatch(v -> uses.isGraphOutput(v.name()))) {
                kept.add(node);
                ctx.explain(node.name(), "not merged with '" + first.name() + "': it writes a graph output");
            } else {
                for (int i = 0; i < node.outputs().size(); i++) {
                    Value v = node.output(i);
                    if (!v.isAbsent()) renames.put(v.name(), first.output(i).name());
                }
                ctx.rewrote(1);
                ctx.explain(node.name(), "merged into '" + first.name() + "': same op, inputs and attributes");
            }
        }
        if (renames.isEmpty()) return graph;
        Graph merged = graph.withNodes(kept).withConstants(constants);
        return GraphRewiring.retype(GraphRewiring.rename(merged, renames));
    }

    /** The constants left after merging equal ones; records each dropped name's replacement in {@code renames}. */
    private static Map<String, Tensor> mergeConstants(Graph graph, GraphUses uses, Map<String, String> renames, PassContext ctx) {
        Map<String, List<String>> byContent = new HashMap<>();
        Map<String, Tensor> kept = new LinkedHashMap<>();
        graph.constants().forEach((name, t) -> {
            if (uses.isGraphOutput(name)) {
                kept.put(name, t);
                return;
            }
            String key = t.dtype() + Arrays.toString(t.shape()) + t.contentHash();
            List<String> same = byContent.computeIfAbsent(key, k -> new ArrayList<>());
            for (String earlier : same) {
                if (graph.constants().get(earlier).contentEquals(t)) {
                    renames.put(name, earlier);
                    ctx.rewrote(1);
                    ctx.explain(name, "constant merged into '" + earlier + "': same element type, shape and contents");
                    return;
                }
            }
            same.add(name);
            kept.put(name, t);
        });
        return kept;
    }
}
