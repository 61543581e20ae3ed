package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who reads each value of a graph. A node counts as a reader of every value its subgraphs read from the enclosing
 * scope (If/Loop/Scan bodies capture outer values by name), so a rewrite never drops a value a body still needs.
 */
public final class GraphUses {
    private final Map<String, List<Node>> readers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();

    private GraphUses(Graph graph) {
        for (Node node : graph.nodes()) {
            for (String name : namesRead(node)) readers.computeIfAbsent(name, k -> new ArrayList<>()).add(node);
        }
        for (Value out : graph.outputs()) graphOutputs.add(out.name());
    }

    public static GraphUses of(Graph graph) { return new GraphUses(graph); }

    /** The names a node reads: its inputs, and what its subgraphs read from enclosing scopes. */
    public static Set<String> namesRead(Node node) {
        Set<String> names = new HashSet<>();
        for (Value in : node.inputs()) {
            if (!in.isAbsent()) names.add(in.name());
        }
        for (Attribute a : node.attributes().values()) collectCaptures(a, names);
        return names;
    }

    /** The nodes reading {@code valueName}, in graph order. */
    public List<Node> readers(String valueName) { return readers.getOrDefault(valueName, List.of()); }

    /** How many nodes read the value, plus one if it is a graph output. */
    public int useCount(String valueName) {
        return readers(valueName).size() + (graphOutputs.contains(valueName) ? 1 : 0);
    }

    public boolean isGraphOutput(String valueName) { return graphOutputs.contains(valueName); }

    /** True when {@code valueName} is read by exactly one node and is not a graph output. */
    public boolean hasSingleReader(String valueName) { return useCount(valueName) == 1 && readers(valueName).size() == 1; }

    private static void collectCaptures(Attribute a, Set<String> names) {
        switch (a.kind()) {
            case GRAPH -> collectGraph(a.asGraph(), names);
            case GRAPHS -> a.asGraphs().forEach(g -> collectGraph(g, names));
            default -> { }
        }
    }

    /** Names a subgraph reads that it does not define itself. */
    private static void collectGraph(Graph g, Set<String> names) {
        Set<String> defined = new HashSet<>(g.constants().keySet());
        g.inputs().forEach(v -> defined.add(v.name()));
        Set<String> read = new HashSet<>();
        for (Node n : g.nodes()) {
            n.outputs().forEach(v -> defined.add(v.name()));
            n.inputs().forEach(v -> { if (!v.isAbsent()) read.add(v.name()); });
            for (Attribute a : n.attributes().values()) collectCaptures(a, read);
        }
        g.outputs().forEach(v -> read.add(v.name()));
        read.removeAll(defined);
        names.addAll(read);
    }
}
