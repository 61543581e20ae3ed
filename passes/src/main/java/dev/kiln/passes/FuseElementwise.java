package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.kiln.KilnOps;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.patterns.ElementwiseOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses trees of elementwise ops whose intermediates have a single reader into one {@code kiln:FusedElementwise},
 * whose GRAPH attribute {@code body} holds the original nodes (so it prints, parses and verifies like any graph).
 * Trees grow upwards from a root (a node whose result leaves the tree) in reverse graph order, up to
 * {@value #MAX_NODES} nodes; constants of at most {@value #MAX_INLINE_CONSTANT} elements that only the tree reads
 * move into the body, other outside values become the fused op's inputs.
 */
public final class FuseElementwise implements Pass {
    static final int MAX_NODES = 32;
    static final int MAX_INLINE_CONSTANT = 16;

    @Override
    public String name() { return "fuse-elementwise"; }

    @Override
    public String summary() { return "fuse single-reader trees of elementwise ops into one kiln:FusedElementwise kernel"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphUses uses = GraphUses.of(graph);
        Map<String, Node> producers = new HashMap<>();
        for (Node n : graph.nodes()) n.outputs().forEach(v -> producers.put(v.name(), n));
        Set<Node> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, Node> fusedAtRoot = new IdentityHashMap<>();
        Set<String> names = new HashSet<>(graph.valuesByName().keySet());
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        Map<String, Integer> opsets = new LinkedHashMap<>(graph.opsets());
        opsets.putIfAbsent(KilnOps.DOMAIN, KilnOps.OPSET);
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node root = nodes.get(i);
            if (taken.contains(root) || !ElementwiseOps.isFusable(root)) continue;
            List<Node> tree = grow(root, uses, producers, taken, ctx);
            if (tree.size() < 2) continue;
            Node fused = fuse(root, tree, opsets, uses, constants, names, ctx);
            if (fused == null) continue;
            taken.addAll(tree);
            fusedAtRoot.put(root, fused);
            ctx.rewrote(1);
            ctx.explain(fused.name(), "fused " + tree.size() + " elementwise nodes: "
                    + String.join(", ", tree.stream().map(Node::name).toList()));
        }
        if (fusedAtRoot.isEmpty()) return graph;
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (fusedAtRoot.containsKey(n)) out.add(fusedAtRoot.get(n));
            else if (!taken.contains(n)) out.add(n);
        }
        return graph.withNodes(out).withConstants(constants).withOpsets(opsets);
    }

    /** The root and every elementwise producer, transitively, whose one reader is already in the tree; graph order. */
    private static List<Node> grow(Node root, GraphUses uses, Map<String, Node> producers, Set<Node> taken, PassContext ctx) {
        Set<Node> tree = Collections.newSetFromMap(new IdentityHashMap<>());
        tree.add(root);
        List<Node> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            Node n = frontier.remove(frontier.size() - 1);
            for (Value in : n.inputs()) {
                Node p = producers.get(in.name());
                if (p == null || tree.contains(p) || taken.contains(p) || !ElementwiseOps.isFusable(p)) continue;
                if (!uses.hasSingleReader(in.name())) {
                    ctx.explain(p.name(), "not fused into the tree of " + root.name() + ": its result has "
                            + uses.useCount(in.name()) + " uses (readers and graph outputs)");
                    continue;
                }
                if (tree.size() >= MAX_NODES) {
                    ctx.explain(p.name(), "not fused into the tree of " + root.name() + ": the tree has reached " + MAX_NODES + " nodes");
                    continue;
                }
                tree.add(p);
                frontier.add(p);
            }
        }
        return orderedAsIn(tree, root, producers);
    }

    private static List<Node> orderedAsIn(Set<Node> tree, Node root, Map<String, Node> producers) {
        List<Node> ordered = new ArrayList<>();
        collect(root, tree, producers, ordered, Collections.newSetFromMap(new IdentityHashMap<>()));
        return ordered;
    }

    /** Post-order walk: producers before readers, which is a topological order of the tree. */
    private static void collect(Node n, Set<Node> tree, Map<String, Node> producers, List<Node> out, Set<Node> done) {
        if (!done.add(n)) return;
        for (Value in : n.inputs()) {
            Node p = producers.get(in.name());
            if (p != null && tree.contains(p)) collect(p, tree, producers, out, done);
        }
        out.add(n);
    }

    /** The fused node for {@code tree}, or null (explained) when its result is not the broadcast of its inputs. */
    private static Node fuse(Node root, List<Node> tree, Map<String, Integer> opsets, GraphUses uses, Map<String, Tensor> constants,
                             Set<String> names, PassContext ctx) {
        Set<String> defined = new HashSet<>();
        tree.forEach(n -> defined.add(n.output(0).name()));
        List<Value> outside = new ArrayList<>();
        Map<String, Tensor> inlined = new LinkedHashMap<>();
        for (Node n : tree) {
            for (Value in : n.inputs()) {
                if (defined.contains(in.name()) || inlined.containsKey(in.name()) || outside.contains(in)) continue;
                Tensor c = constants.get(in.name());
                if (c != null && c.size() <= MAX_INLINE_CONSTANT && readOnlyBy(in, tree, uses)) inlined.put(in.name(), c);
                else outside.add(in);
            }
        }
        Value result = root.output(0);
        if (outside.isEmpty()) {
            ctx.explain(root.name(), "elementwise tree of " + tree.size() + " nodes not fused: it reads only constants (constant folding's job)");
            return null;
        }
        if (!broadcastsTo(outside, result)) {
            ctx.explain(root.name(), "elementwise tree of " + tree.size() + " nodes not fused: its result "
                    + result.type() + " is not the broadcast of its inputs");
            return null;
        }
        Map<String, String> renamed = new HashMap<>();
        List<Value> formals = new ArrayList<>();
        for (int i = 0; i < outside.size(); i++) {
            Value v = outside.get(i);
            String name = fresh(root.name() + ".in" + i, names);
            renamed.put(v.name(), name);
            formals.add(new Value(name, v.type()));
        }
        String bodyOut = fresh(root.name() + ".out", names);
        renamed.put(result.name(), bodyOut);
        List<Node> bodyNodes = tree.stream().map(n -> rename(n, renamed)).toList();
        Graph body = new Graph(root.name() + ".body", formals, List.of(new Value(bodyOut, result.type())), bodyNodes,
                inlined, opsets);
        inlined.keySet().forEach(constants::remove);
        return new Node(root.name(), KilnOps.DOMAIN, "FusedElementwise", outside, List.of(result),
                Map.of("body", Attribute.of(body)));
    }

    private static boolean readOnlyBy(Value v, List<Node> tree, GraphUses uses) {
        if (uses.isGraphOutput(v.name())) return false;
        for (Node r : uses.readers(v.name())) {
            if (tree.stream().noneMatch(t -> t == r)) return false;
        }
        return true;
    }

    private static boolean broadcastsTo(List<Value> inputs, Value result) {
        List<Shape> shapes = new ArrayList<>();
        for (Value v : inputs) {
            if (!(v.type() instanceof TensorType t)) return false;
            shapes.add(t.shape());
        }
        try {
            return result.type() instanceof TensorType r && Broadcast.shapes(shapes).equals(r.shape());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Node rename(Node n, Map<String, String> renamed) {
        List<Value> ins = n.inputs().stream().map(v -> new Value(renamed.getOrDefault(v.name(), v.name()), v.type())).toList();
        List<Value> outs = n.outputs().stream().map(v -> new Value(renamed.getOrDefault(v.name(), v.name()), v.type())).toList();
        return new Node(n.name(), n.domain(), n.op(), ins, outs, n.attributes());
    }

    private static String fresh(String base, Set<String> names) {
        String name = base;
        for (int i = 1; names.contains(name); i++) name = base + "." + i;
        names.add(name);
        return name;
    }
}
