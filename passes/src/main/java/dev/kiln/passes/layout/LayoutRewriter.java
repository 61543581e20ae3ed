package dev.kiln.passes.layout;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.NhwcOps;
import dev.kiln.passes.GraphUses;
import dev.kiln.passes.PassContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One walk over the main graph in order. A value has an NCHW form (its own name, as the input graph has it) once
 * it is a graph input, a constant, the output of an unchanged node, or made by a Transpose back; it has an NHWC
 * form once a twin or follower produced it or a Transpose made it. Each form is made at most once, where first
 * needed, so transposes appear only where the layouts meet and a round trip through NCHW reuses the NHWC form.
 */
public final class LayoutRewriter {
    private final Graph graph;
    private final PassContext ctx;
    private final Map<String, Value> nhwcForm = new HashMap<>();
    private final Map<String, Value> original = new HashMap<>();
    private final Set<String> nchwReady = new HashSet<>();
    private final Set<String> taken = new HashSet<>();
    private final List<Node> out = new ArrayList<>();
    private int rewrites;

    public LayoutRewriter(Graph graph, PassContext ctx) {
        this.graph = graph;
        this.ctx = ctx;
        graph.inputs().forEach(v -> nchwReady.add(v.name()));
        nchwReady.addAll(graph.constants().keySet());
        taken.addAll(graph.valuesByName().keySet());
        for (Node n : graph.nodes()) {
            taken.add(n.name());
            n.outputs().forEach(v -> original.put(v.name(), v));
        }
        graph.inputs().forEach(v -> original.put(v.name(), v));
    }

    /** The rewritten graph, or the same graph when no op moved to NHWC. */
    public Graph rewrite() {
        for (Node node : graph.nodes()) {
            if (isLayoutOp(node)) {
                convert(node, NhwcOps.twinOf(node.op()), "kiln", List.of(0), "runs channels-last as kiln:" + NhwcOps.twinOf(node.op()));
            } else if (followerInputs(node) != null) {
                convert(node, node.op(), "", followerInputs(node), "follows its channels-last inputs");
            } else {
                for (String name : GraphUses.namesRead(node)) {
                    if (needNchw(name)) {
                        ctx.explain(node.name(), "reads %" + name + " in NCHW: " + node.qualifiedOp()
                                + " has no channels-last form here");
                    }
                }
                out.add(node);
                node.outputs().forEach(v -> nchwReady.add(v.name()));
            }
        }
        if (rewrites == 0) return graph;
        graph.outputs().forEach(v -> needNchw(v.name()));
        ctx.rewrote(rewrites);
        return graph.withNodes(out);
    }

    private boolean isLayoutOp(Node node) {
        if (!node.domain().isEmpty() || !NhwcOps.BASE_OPS.contains(node.op())) return false;
        if (!isRank4(node.input(0)) || !isRank4(node.output(0))) {
            ctx.explain(node.name(), "stays NCHW: its data is not a 4-D tensor of known rank");
            return false;
        }
        if (node.outputs().size() != 1) {
            ctx.explain(node.name(), "stays NCHW: it has " + node.outputs().size() + " outputs (only the single-output form has a twin)");
            return false;
        }
        return true;
    }

    /**
     * The indices of the inputs a follower reads channels-last (4-D inputs; at least one already is), or null when
     * the node stays as it is. Single-element inputs stay as they are: they broadcast alike in both layouts.
     */
    private List<Integer> followerInputs(Node node) {
        if (!LayoutFollowers.follows(node) || !isRank4(node.output(0))) return null;
        List<Integer> moved = new ArrayList<>();
        boolean anyChannelsLast = false;
        for (int i = 0; i < node.inputs().size(); i++) {
            Value in = node.inputs().get(i);
            if (in.isAbsent() || isOneElement(in)) continue;
            anyChannelsLast |= nhwcForm.containsKey(in.name());
            if (isRank4(in)) {
                moved.add(i);
                continue;
            }
            if (node.inputs().stream().anyMatch(v -> nhwcForm.containsKey(v.name()))) {
                ctx.explain(node.name(), "stays NCHW: input %" + in.name() + " is neither 4-D nor a single element");
            }
            return null;
        }
        return anyChannelsLast ? moved : null;
    }

    private void convert(Node node, String op, String domain, List<Integer> movedInputs, String why) {
        List<Value> inputs = new ArrayList<>(node.inputs());
        for (int i : movedInputs) inputs.set(i, needNhwc(inputs.get(i)));
        Value y = node.output(0);
        Value yNhwc = new Value(fresh(y.name() + "_nhwc"), nhwc(y.tensorType()));
        out.add(new Node(node.name(), domain, op, inputs, List.of(yNhwc), node.attributes()));
        nhwcForm.put(y.name(), yNhwc);
        ctx.explain(node.name(), why);
        rewrites++;
    }

    private Value needNhwc(Value v) {
        Value have = nhwcForm.get(v.name());
        if (have != null) return have;
        Value made = new Value(fresh(v.name() + "_nhwc"), nhwc(v.tensorType()));
        out.add(transpose(v, made, NhwcOps.TO_NHWC));
        nhwcForm.put(v.name(), made);
        return made;
    }

    /** Makes the NCHW form of {@code name} if it has only an NHWC one; true when it made it. */
    private boolean needNchw(String name) {
        if (nchwReady.contains(name) || !nhwcForm.containsKey(name)) return false;
        out.add(transpose(nhwcForm.get(name), original.get(name), NhwcOps.TO_NCHW));
        nchwReady.add(name);
        return true;
    }

    private Node transpose(Value from, Value to, long[] perm) {
        String node = fresh("transpose_" + to.name());
        ctx.explain(node, "made: %" + from.name() + " as %" + to.name() + " in " + (perm == NhwcOps.TO_NHWC ? "NHWC" : "NCHW"));
        return new Node(node, "", "Transpose", List.of(from), List.of(to), Map.of("perm", Attribute.ints(perm)));
    }

    private String fresh(String base) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) name = base + "_" + k;
        taken.add(name);
        return name;
    }

    private static TensorType nhwc(TensorType t) { return NhwcOps.permute(t, NhwcOps.TO_NHWC); }

    private static boolean isRank4(Value v) {
        return !v.isAbsent() && v.type() instanceof TensorType t && t.shape().hasRank() && t.shape().rank() == 4;
    }

    private static boolean isOneElement(Value v) {
        return v.type() instanceof TensorType t && t.shape().isStatic() && t.shape().elementCount() == 1;
    }
}
