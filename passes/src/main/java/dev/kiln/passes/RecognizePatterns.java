package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.kiln.KilnOps;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.patterns.AttentionMatcher;
import dev.kiln.passes.patterns.GeluMatcher;
import dev.kiln.passes.patterns.LayerNormMatcher;
import dev.kiln.passes.patterns.PatternGraph;
import dev.kiln.passes.patterns.PatternMatch;
import dev.kiln.passes.patterns.PatternMatcher;
import dev.kiln.passes.patterns.SoftmaxMatcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces spelled-out LayerNormalization, GELU, Softmax and scaled dot-product attention (as older exporters
 * write them) by one op each. Softmax runs before attention so that an attention whose softmax was itself spelled
 * out is found too. A pattern fires only when its intermediates have no reader outside it.
 */
public final class RecognizePatterns implements Pass {
    private static final List<PatternMatcher> MATCHERS = List.of(
            new LayerNormMatcher(), new GeluMatcher(), new SoftmaxMatcher(), new AttentionMatcher());

    @Override
    public String name() { return "recognize-patterns"; }

    @Override
    public String summary() { return "recognize spelled-out LayerNormalization, Gelu, Softmax and attention as single ops"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        Graph g = graph;
        for (PatternMatcher matcher : MATCHERS) g = applyAll(g, matcher, ctx);
        return g;
    }

    /** Scans in graph order; after each match the graph is rebuilt and the scan goes on after the replacement. */
    private static Graph applyAll(Graph graph, PatternMatcher matcher, PassContext ctx) {
        Graph g = graph;
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean progress = true;
        while (progress) {
            progress = false;
            PatternGraph view = new PatternGraph(g, ctx);
            for (Node anchor : g.nodes()) {
                if (!seen.add(anchor)) continue;
                PatternMatch m = matcher.match(anchor, view);
                if (m == null) continue;
                g = replace(g, m);
                ctx.rewrote(1);
                ctx.explain(m.replacement().name(), m.why() + ": " + String.join(", ", m.replaced().stream().map(Node::name).toList()));
                seen.add(m.replacement());
                progress = true;
                break;
            }
        }
        return g;
    }

    /** The graph's constants less those only the replaced nodes read. */
    private static Map<String, Tensor> constantsStillRead(Graph g, PatternMatch m, List<Node> nodes) {
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(GraphUses.namesRead(n)));
        g.outputs().forEach(v -> read.add(v.name()));
        Map<String, Tensor> kept = new LinkedHashMap<>(g.constants());
        for (Node n : m.replaced()) n.inputs().forEach(v -> { if (!read.contains(v.name())) kept.remove(v.name()); });
        return kept;
    }

    /** The graph with the match's nodes gone and its replacement where the node producing the result was. */
    private static Graph replace(Graph g, PatternMatch m) {
        Set<Node> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(m.replaced());
        String result = m.replacement().output(0).name();
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.outputs().stream().anyMatch(v -> v.name().equals(result))) nodes.add(m.replacement());
            else if (!gone.contains(n)) nodes.add(n);
        }
        Graph out = g.withNodes(nodes).withConstants(constantsStillRead(g, m, nodes));
        if (m.replacement().domain().equals(KilnOps.DOMAIN) && out.opset(KilnOps.DOMAIN) == 0) {
            Map<String, Integer> opsets = new LinkedHashMap<>(out.opsets());
            opsets.put(KilnOps.DOMAIN, KilnOps.OPSET);
            out = out.withOpsets(opsets);
        }
        return out;
    }
}
