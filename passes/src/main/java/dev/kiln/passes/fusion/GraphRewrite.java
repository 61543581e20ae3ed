package dev.kiln.passes.fusion;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.GraphUses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass's edits to a graph: nodes replaced in place (by zero or more nodes), new constants under fresh names,
 * and the constants the replaced nodes read dropped once nothing reads them. Replacement nodes take the position of
 * the node they replace, so a pass keeps topological order by replacing the last node of a pattern.
 */
public final class GraphRewrite {
    private final Graph graph;
    private final GraphUses uses;
    private final Map<String, Tensor> constants;
    private final Set<String> names = new HashSet<>();
    private final Map<Node, List<Node>> replacements = new IdentityHashMap<>();
    private final Map<String, Node> producers = new HashMap<>();

    public GraphRewrite(Graph graph) {
        this.graph = graph;
        this.uses = GraphUses.of(graph);
        this.constants = new LinkedHashMap<>(graph.constants());
        names.addAll(graph.valuesByName().keySet());
        for (Node n : graph.nodes()) {
            names.add(n.name());
            n.outputs().forEach(v -> { if (!v.isAbsent()) producers.put(v.name(), n); });
        }
    }

    public Graph graph() { return graph; }

    public GraphUses uses() { return uses; }

    /**
     * The constant tensor a value names, or null when the value is computed or a graph input. An Identity of a
     * constant counts as that constant (PyTorch's exporter shares equal initializers that way), so the fusions do
     * not depend on remove-identities running first.
     */
    public Tensor constant(Value v) {
        if (v.isAbsent()) return null;
        Tensor t = graph.constants().get(v.name());
        Node p = producers.get(v.name());
        if (t == null && p != null && p.domain().isEmpty() && p.op().equals("Identity")) t = graph.constants().get(p.input(0).name());
        return t;
    }

    /** The node producing a value in this graph, or null for inputs and constants. */
    public Node producer(Value v) { return v.isAbsent() ? null : producers.get(v.name()); }

    /** The only node reading the value when it has exactly one reader and is no graph output, else null. */
    public Node soleReader(Value v) {
        return uses.hasSingleReader(v.name()) ? uses.readers(v.name()).getFirst() : null;
    }

    /** A name no value or node of the graph uses yet, built from {@code hint}. */
    public String freshName(String hint) {
        String name = hint;
        for (int i = 1; names.contains(name); i++) name = hint + "_" + i;
        names.add(name);
        return name;
    }

    /** Adds a constant under a fresh name built from {@code hint}; returns the value naming it. */
    public Value addConstant(String hint, Tensor t) {
        String name = freshName(hint);
        constants.put(name, t);
        return new Value(name, new TensorType(t.dtype(), Shape.of(t.shape())));
    }

    public boolean isReplaced(Node n) { return replacements.containsKey(n); }

    public void replace(Node old, List<Node> with) { replacements.put(old, List.copyOf(with)); }

    public void remove(Node old) { replace(old, List.of()); }

    /**
     * The edited graph, importing each extra opset whose domain a node now uses; constants that only replaced nodes
     * read, and new ones nothing reads, go.
     */
    public Graph result(Map<String, Integer> extraOpsets) {
        if (replacements.isEmpty()) return graph;
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) nodes.addAll(replacements.getOrDefault(n, List.of(n)));
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(GraphUses.namesRead(n)));
        graph.outputs().forEach(v -> read.add(v.name()));
        Set<String> orphaned = new HashSet<>();
        replacements.keySet().forEach(n -> orphaned.addAll(GraphUses.namesRead(n)));
        Map<String, Tensor> kept = new LinkedHashMap<>();
        constants.forEach((name, t) -> {
            boolean dropped = !read.contains(name) && (orphaned.contains(name) || !graph.constants().containsKey(name));
            if (!dropped) kept.put(name, t);
        });
        Map<String, Integer> opsets = new LinkedHashMap<>(graph.opsets());
        extraOpsets.forEach((domain, version) -> {
            if (nodes.stream().anyMatch(n -> n.domain().equals(domain))) opsets.putIfAbsent(domain, version);
        });
        return graph.withNodes(nodes).withConstants(kept).withOpsets(opsets);
    }
}
