package dev.kiln.passes.layout;

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
 * One walk over the main graph in order, moving ops to a {@link ChannelLayout}. A value has an NCHW form (its own
 * name, as the input graph has it) once it is a graph input, a constant, the output of an unchanged node, or made by
 * a conversion back; it has a form in the layout once a twin or follower produced it or a conversion made it. Each
 * form is made at most once, where first needed, so conversions appear only where the layouts meet and a round trip
 * through NCHW reuses the layout's form.
 */
public final class LayoutRewriter {
    private final Graph graph;
    private final PassContext ctx;
    private final ChannelLayout layout;
    private final Map<String, Value> laidOut = new HashMap<>();
    private final Map<String, Value> original = new HashMap<>();
    private final Set<String> nchwReady = new HashSet<>();
    private final Set<String> taken = new HashSet<>();
    private final List<Node> out = new ArrayList<>();
    private int rewrites;

    public LayoutRewriter(Graph graph, PassContext ctx, ChannelLayout layout) {
        this.graph = graph;
        this.ctx = ctx;
        this.layout = layout;
        graph.inputs().forEach(v -> nchwReady.add(v.name()));
        nchwReady.addAll(graph.constants().keySet());
        taken.addAll(graph.valuesByName().keySet());
        for (Node n : graph.nodes()) {
            taken.add(n.name());
            n.outputs().forEach(v -> original.put(v.name(), v));
        }
        graph.inputs().forEach(v -> original.put(v.name(), v));
    }

    /** The rewritten graph, or the same graph when no op moved to the layout. */
    public Graph rewrite() {
        for (Node node : graph.nodes()) {
            if (isLayoutOp(node)) {
                convert(node, List.of(0), null);
            } else if (followerInputs(node) != null) {
                convert(node, followerInputs(node), "follows its " + layout.name() + " inputs");
            } else {
                for (String name : GraphUses.namesRead(node)) {
                    if (needNchw(name)) {
                        ctx.explain(node.name(), "reads %" + name + " in NCHW: " + node.qualifiedOp()
                                + " has no " + layout.name() + " form here");
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
        String whyNot = layout.whyNoTwin(node);
        if (whyNot != null) {
            ctx.explain(node.name(), "stays NCHW: " + whyNot);
            return false;
        }
        return true;
    }

    /**
     * The indices of the inputs a follower reads in the layout (4-D inputs; at least one already is), or null when
     * the node stays as it is. Single-element inputs stay as they are where the layout allows it: they broadcast
     * alike in both layouts.
     */
    private List<Integer> followerInputs(Node node) {
        if (!LayoutFollowers.follows(node) || !isRank4(node.output(0))) return null;
        boolean readsLaidOut = node.inputs().stream().anyMatch(v -> laidOut.containsKey(v.name()));
        if (!layout.follows(node, graph)) {
            // only the blocked layout turns followers away: they would not keep its padding lanes zero
            if (readsLaidOut) ctx.explain(node.name(), "stays NCHW: " + node.op() + " here would make the padding lanes nonzero");
            return null;
        }
        List<Integer> moved = new ArrayList<>();
        boolean anyLaidOut = false;
        for (int i = 0; i < node.inputs().size(); i++) {
            Value in = node.inputs().get(i);
            if (in.isAbsent() || (layout.scalarsFollow(node) && isOneElement(in))) continue;
            anyLaidOut |= laidOut.containsKey(in.name());
            String whyNot = isRank4(in) ? layout.whyNotCarried(in, node.output(0))
                    : isOneElement(in) ? "single-element input %" + in.name() + " would make the padding lanes nonzero"
                    : "input %" + in.name() + " is neither 4-D nor a single element";
            if (whyNot == null) {
                moved.add(i);
                continue;
            }
            if (readsLaidOut) ctx.explain(node.name(), "stays NCHW: " + whyNot);
            return null;
        }
        return anyLaidOut ? moved : null;
    }

    /** Moves {@code node} to the layout: its twin when {@code why} is null, else the same op as a follower. */
    private void convert(Node node, List<Integer> movedInputs, String why) {
        List<Value> inputs = new ArrayList<>(node.inputs());
        for (int i : movedInputs) inputs.set(i, needLaidOut(inputs.get(i)));
        Value y = node.output(0);
        Value yLaidOut = new Value(fresh(y.name() + layout.suffix()), layout.form(y.tensorType()));
        Node moved = why == null ? layout.twin(node, inputs, yLaidOut)
                : new Node(node.name(), "", node.op(), inputs, List.of(yLaidOut), node.attributes());
        out.add(moved);
        laidOut.put(y.name(), yLaidOut);
        ctx.explain(node.name(), why != null ? why : "runs " + layout.name() + " as " + moved.qualifiedOp());
        rewrites++;
    }

    private Value needLaidOut(Value v) {
        Value have = laidOut.get(v.name());
        if (have != null) return have;
        Value made = new Value(fresh(v.name() + layout.suffix()), layout.form(v.tensorType()));
        String node = fresh(layout.conversionPrefix(true) + made.name());
        ctx.explain(node, "made: %" + v.name() + " as %" + made.name() + " in " + layout.name());
        out.add(layout.toForm(node, v, made));
        laidOut.put(v.name(), made);
        return made;
    }

    /** Makes the NCHW form of {@code name} if it has only the layout's; true when it made it. */
    private boolean needNchw(String name) {
        if (nchwReady.contains(name) || !laidOut.containsKey(name)) return false;
        Value from = laidOut.get(name), to = original.get(name);
        String node = fresh(layout.conversionPrefix(false) + to.name());
        ctx.explain(node, "made: %" + from.name() + " as %" + to.name() + " in NCHW");
        out.add(layout.toNchw(node, from, to));
        nchwReady.add(name);
        return true;
    }


    private String fresh(String base) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) name = base + "_" + k;
        taken.add(name);
        return name;
    }

    private static boolean isRank4(Value v) {
        return !v.isAbsent() && v.type() instanceof TensorType t && t.shape().hasRank() && t.shape().rank() == 4;
    }

    private static boolean isOneElement(Value v) {
        return v.type() instanceof TensorType t && t.shape().isStatic() && t.shape().elementCount() == 1;
    }
}
