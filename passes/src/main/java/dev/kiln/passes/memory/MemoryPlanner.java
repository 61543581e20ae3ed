package dev.kiln.passes.memory;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.passes.GraphUses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * Plans the intermediates of one graph (its own nodes; subgraph bodies keep their own values). A value lives from
 * the node defining it to the last node reading it, a node whose subgraph reads it included. Graph inputs, outputs
 * and constants are not in the arena. An elementwise node may take its input's buffer when that input dies there
 * and has the output's exact type; such values share one slot, which is then placed by {@link ArenaAllocator}.
 * A view ({@link ViewOps}) gets no slot: it reads its input's buffer, which therefore lives until the view's last
 * reader (to the end of the run when the view is a graph output, which callers copy after the last node).
 */
public final class MemoryPlanner {
    /** A buffer shared by a chain of values (more than one only through in-place execution). */
    private static final class Chain {
        final List<Value> values = new ArrayList<>();
        /** Names of the views of this buffer, which share it without a slot. */
        final List<String> views = new ArrayList<>();
        final int first;
        int last;
        final long bytes;

        Chain(Value v, int first, int last, long bytes) {
            values.add(v);
            this.first = first;
            this.last = last;
            this.bytes = bytes;
        }
    }

    /** The annotated graph and its plan. */
    public record Result(Graph graph, MemoryPlan plan, Map<String, Long> symbolSizes) {}

    private final BufferSizes sizes;
    private final BiConsumer<String, String> explain;

    /** {@code symbolSizes}: each symbolic dim's planning size; {@code explain}: (node name, why) for each decision. */
    public MemoryPlanner(ToLongFunction<String> symbolSizes, BiConsumer<String, String> explain) {
        this.sizes = new BufferSizes(symbolSizes);
        this.explain = explain;
    }

    public Result plan(Graph graph) {
        GraphUses uses = GraphUses.of(graph);
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            for (String name : GraphUses.namesRead(graph.nodes().get(i))) lastRead.put(name, i);
        }
        Map<String, Chain> chainOf = new LinkedHashMap<>();
        Map<String, Long> bytesOf = new HashMap<>();
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node node = graph.nodes().get(i);
            Chain viewed = ViewOps.isView(node) ? chainOf.get(node.input(0).name()) : null;
            if (viewed != null) {
                Value out = node.output(0);
                viewed.last = Math.max(viewed.last, uses.isGraphOutput(out.name()) ? graph.nodes().size()
                        : lastRead.getOrDefault(out.name(), i));
                viewed.views.add(out.name());
                chainOf.put(out.name(), viewed);
                explain.accept(node.name(), "%" + out.name() + " is a view of %" + node.input(0).name() + ": no buffer of its own");
                continue;
            }
            for (Value out : node.outputs()) {
                if (out.isAbsent() || uses.isGraphOutput(out.name())) continue;
                BufferSizes.Size size = sizes.of(out);
                if (!size.known()) {
                    explain.accept(node.name(), "%" + out.name() + " not planned: " + size.whyNot());
                    continue;
                }
                bytesOf.put(out.name(), size.bytes());
                int last = lastRead.getOrDefault(out.name(), i);
                Chain shared = InPlaceOps.canRunInPlace(node) ? inPlaceInput(node, i, out, chainOf, lastRead, graph) : null;
                if (shared != null) {
                    shared.values.add(out);
                    shared.last = Math.max(shared.last, last);
                    chainOf.put(out.name(), shared);
                } else {
                    Chain c = new Chain(out, i, last, size.bytes());
                    chains.add(c);
                    chainOf.put(out.name(), c);
                }
            }
        }
        long[] offsets = ArenaAllocator.place(chains.stream().map(c -> new ArenaAllocator.Slot(c.first, c.last, c.bytes)).toList());
        Map<Chain, Long> offsetOf = new HashMap<>();
        for (int k = 0; k < chains.size(); k++) offsetOf.put(chains.get(k), offsets[k]);
        Graph annotated = graph.withNodes(graph.nodes().stream().map(n -> annotate(n, chainOf, offsetOf, bytesOf)).toList());
        return new Result(annotated, MemoryPlan.read(annotated), sizes.symbolsUsed());
    }

    /** The chain of the input {@code out} may overwrite, or null (saying why when an input almost qualified). */
    private Chain inPlaceInput(Node node, int index, Value out, Map<String, Chain> chainOf, Map<String, Integer> lastRead,
                               Graph graph) {
        for (Value in : node.inputs()) {
            Chain chain = in.isAbsent() ? null : chainOf.get(in.name());
            if (chain == null) continue;
            int last = chain.last; // through any view of the buffer, not only this name
            if (!in.type().equals(out.type())) {
                if (last == index) {
                    explain.accept(node.name(), "not in place over %" + in.name() + ": it dies here but its type "
                            + IrPrinter.formatType(in.type()) + " is not the output's " + IrPrinter.formatType(out.type()));
                }
                continue;
            }
            if (last == index) {
                explain.accept(node.name(), "runs in place: %" + out.name() + " takes the buffer of %" + in.name()
                        + ", which dies here");
                return chain;
            }
            explain.accept(node.name(), "not in place over %" + in.name() + ": it is read later by "
                    + graph.nodes().get(last).describe());
        }
        return null;
    }

    private static Node annotate(Node node, Map<String, Chain> chainOf, Map<Chain, Long> offsetOf, Map<String, Long> bytesOf) {
        Map<String, Attribute> attrs = new LinkedHashMap<>(node.attributes());
        attrs.remove(MemoryPlan.OFFSETS);
        attrs.remove(MemoryPlan.BYTES);
        long[] offsets = new long[node.outputs().size()];
        long[] bytes = new long[offsets.length];
        boolean any = false;
        for (int k = 0; k < offsets.length; k++) {
            String name = node.outputs().get(k).name();
            Chain c = chainOf.get(name);
            if (c != null && c.views.contains(name)) c = null;
            offsets[k] = c == null ? -1 : offsetOf.get(c);
            bytes[k] = c == null ? -1 : bytesOf.get(node.outputs().get(k).name());
            any |= c != null;
        }
        if (any) {
            attrs.put(MemoryPlan.OFFSETS, Attribute.ints(offsets));
            attrs.put(MemoryPlan.BYTES, Attribute.ints(bytes));
        }
        return new Node(node.name(), node.domain(), node.op(), node.inputs(), node.outputs(), attrs);
    }
}
