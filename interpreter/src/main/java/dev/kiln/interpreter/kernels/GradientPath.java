package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The part of a graph a Gradient node differentiates: the nodes that compute {@code y}, walking back from it and
 * stopping at the names in {@code xs} and {@code zs} (the leaves, whose values the Gradient node is given), at graph
 * inputs and at constants. Also which values are <em>live</em>: floating-point tensors that depend on some x through
 * floating-point values. Only live values carry gradients; integer values (shapes, indices) are piecewise constant.
 */
final class GradientPath {
    private final List<Node> nodes;
    private final Set<String> live;
    private final Set<String> read;
    private final Map<String, Value> recorded;

    private GradientPath(List<Node> nodes, Set<String> live, Set<String> read, Map<String, Value> recorded) {
        this.nodes = nodes;
        this.live = live;
        this.read = read;
        this.recorded = recorded;
    }

    /**
     * Extracts the path from the leaves to {@code y} in {@code ctx}'s graph. Fails when y is not computed there, when y
     * depends on the Gradient node itself or on a value computed in an enclosing graph, or when a node that gradients
     * must pass through has no derivative rule.
     */
    static GradientPath extract(KernelContext ctx, Set<String> leaves, List<String> xs, String y) {
        Graph graph = ctx.graph();
        Map<String, Node> producers = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (Value out : n.outputs()) if (!out.isAbsent()) producers.put(out.name(), n);
        }
        Set<String> independent = new HashSet<>(leaves);
        independent.addAll(graph.constants().keySet());
        for (Value in : graph.inputs()) independent.add(in.name());
        Set<Node> included = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(y));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (independent.contains(name)) continue;
            Node producer = producers.get(name);
            if (producer == null) {
                throw ctx.fail("y '" + y + "' depends on '" + name + "', which is neither in xs or zs nor computed in graph '"
                        + graph.name() + "' (Gradient differentiates within its own graph)");
            }
            if (producer.equals(ctx.node())) throw ctx.fail("y '" + y + "' depends on this Gradient node's own outputs");
            if (included.add(producer)) {
                for (Value in : producer.inputs()) if (!in.isAbsent()) todo.push(in.name());
                // what its subgraphs read from this graph (their own values are not produced here)
                for (String captured : readNames(producer)) if (producers.containsKey(captured)) todo.push(captured);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) if (included.contains(n)) nodes.add(withoutLeafOutputs(n, leaves));
        return analyse(nodes, xs, y);
    }

    private static GradientPath analyse(List<Node> nodes, List<String> xs, String y) {
        Set<String> live = new HashSet<>(xs);
        Set<String> read = new HashSet<>(List.of(y));
        Map<String, Value> recorded = new LinkedHashMap<>();
        for (Node n : nodes) {
            boolean reachesX = readNames(n).stream().anyMatch(live::contains);
            for (Value in : n.inputs()) if (!in.isAbsent()) recorded.put(in.name(), in);
            for (Value out : n.outputs()) {
                if (out.isAbsent()) continue;
                recorded.put(out.name(), out);
                if (reachesX && out.type() instanceof TensorType t && t.dtype().isFloat()) live.add(out.name());
            }
            read.addAll(readNames(n));
        }
        return new GradientPath(nodes, live, read, recorded);
    }

    /** The path's nodes in the graph's order. */
    List<Node> nodes() { return nodes; }

    boolean isLive(String name) { return live.contains(name); }

    /** The values the forward run records for back-propagation: every input and output of the path's nodes. */
    List<Value> recorded() { return List.copyOf(recorded.values()); }

    /** Whether gradients flow through {@code node}: it reads a live value and has a live output that is used. */
    boolean carriesGradient(Node node) {
        if (readNames(node).stream().noneMatch(live::contains)) return false;
        return node.outputs().stream().anyMatch(o -> !o.isAbsent() && live.contains(o.name()) && read.contains(o.name()));
    }

    /** Fails naming the first node gradients pass through that has no derivative rule. */
    void requireRules(KernelContext ctx) {
        for (Node n : nodes) {
            if (carriesGradient(n) && GradientRules.find(n.qualifiedOp()) == null) {
                throw ctx.fail("no derivative rule for " + n.qualifiedOp() + " (node '" + n.name() + "')");
            }
        }
    }

    /** The node's inputs and every name its subgraphs read (including their own values, which never clash). */
    private static Set<String> readNames(Node node) {
        Set<String> names = new HashSet<>();
        for (Value in : node.inputs()) if (!in.isAbsent()) names.add(in.name());
        node.attributes().values().stream().flatMap(GradientPath::bodies).forEach(g -> {
            for (Node inner : g.nodes()) names.addAll(readNames(inner));
        });
        return names;
    }

    private static Stream<Graph> bodies(Attribute a) {
        return switch (a.kind()) {
            case GRAPH -> Stream.of(a.asGraph());
            case GRAPHS -> a.asGraphs().stream();
            default -> Stream.empty();
        };
    }

    /**
     * A leaf's value is the one the Gradient node is given, so a path node that also computes a leaf (next to an output
     * the path needs) must not overwrite it: that output gets a name nothing reads.
     */
    private static Node withoutLeafOutputs(Node n, Set<String> leaves) {
        if (n.outputs().stream().noneMatch(o -> leaves.contains(o.name()))) return n;
        List<Value> outs = n.outputs().stream()
                .map(o -> leaves.contains(o.name()) ? new Value(o.name() + "#recomputed", o.type()) : o).toList();
        return new Node(n.name(), n.domain(), n.op(), n.inputs(), outs, n.attributes());
    }
}
