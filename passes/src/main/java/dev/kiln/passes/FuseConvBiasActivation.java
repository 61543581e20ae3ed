package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.BiasAdd;
import dev.kiln.passes.fusion.EpilogueChain;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses a Conv (or ConvTranspose) with what follows it: an Add of a per-channel constant folds into the conv bias,
 * and an activation and a residual Add (in either order) become one kiln:FusedConv (kiln:FusedConvTranspose) whose
 * epilogue records them. Each fused value must have the next node as its only reader.
 */
public final class FuseConvBiasActivation implements Pass {
    @Override
    public String name() { return "fuse-conv-bias-activation"; }

    @Override
    public String summary() { return "fuse Conv/ConvTranspose with a bias Add, an activation and a residual Add into kiln:FusedConv"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphRewrite g = new GraphRewrite(graph);
        for (Node conv : graph.nodes()) {
            if (conv.domain().isEmpty() && (conv.op().equals("Conv") || conv.op().equals("ConvTranspose")) && !g.isReplaced(conv)) {
                fuse(conv, g, ctx);
            }
        }
        return g.result(Map.of("kiln", 1));
    }

    private static void fuse(Node conv, GraphRewrite g, PassContext ctx) {
        String base = conv.op() + " '" + conv.name() + "'";
        List<Node> consumed = new ArrayList<>();
        Value out = conv.output(0);
        Value bias = conv.input(2);
        String[] why = new String[1];
        long channels = out.tensorType().shape().hasRank() && out.tensorType().shape().rank() > 1 && out.tensorType().shape().dim(1).isStatic()
                ? out.tensorType().shape().dim(1).size() : -1;
        BiasAdd biasAdd = channels < 0 ? null : BiasAdd.after(out, 1, channels, g, why);
        Tensor oldBias = bias.isAbsent() ? null : g.constant(bias);
        if (biasAdd != null && (bias.isAbsent() || oldBias != null)) {
            Tensor w = g.constant(conv.input(1));
            bias = g.addConstant(conv.name() + "_bias", biasAdd.plus(oldBias, 1, w == null ? out.tensorType().dtype() : w.dtype()));
            consumed.add(biasAdd.add());
            out = biasAdd.add().output(0);
            ctx.explain(biasAdd.add().name(), "folded into the bias of " + base);
        } else if (biasAdd != null) {
            ctx.explain(biasAdd.add().name(), "bias Add not folded into " + base + ": its bias is not a constant");
        } else if (why[0] != null) {
            ctx.explain(conv.name(), "bias not folded: " + why[0]);
        }
        String fusedOp = "kiln:Fused" + conv.op();
        EpilogueChain chain = EpilogueChain.after(out, g, base, true);
        chain.nearMisses().forEach(m -> ctx.explain(conv.name(), m));
        if (!chain.isEmpty() && !ctx.target().canExecute(fusedOp)) {
            ctx.explain(conv.name(), "not fused: the target cannot execute " + fusedOp);
        } else if (!chain.isEmpty()) {
            consumed.addAll(chain.nodes());
            out = chain.output();
        }
        boolean fusedEpilogue = !chain.isEmpty() && consumed.containsAll(chain.nodes());
        if (consumed.isEmpty()) return;
        Node last = consumed.getLast();
        Map<String, Attribute> attrs = new LinkedHashMap<>(conv.attributes());
        List<Value> inputs = new ArrayList<>(List.of(conv.input(0), conv.input(1), bias));
        Node replacement;
        if (!fusedEpilogue) {
            replacement = new Node(conv.name(), "", conv.op(), inputs, List.of(out), attrs);
            ctx.explain(conv.name(), "absorbed bias Add '" + biasAdd.add().name() + "'");
        } else {
            if (chain.activation() != null) attrs.putAll(chain.activation().attributes());
            if (chain.residualInput() != null) {
                attrs.put("residual", Attribute.of(chain.residual()));
                inputs.add(chain.residualInput());
            }
            while (inputs.getLast().isAbsent()) inputs.removeLast();
            replacement = new Node(conv.name(), "kiln", "Fused" + conv.op(), inputs, List.of(out), attrs);
            ctx.explain(conv.name(), "fused into " + fusedOp + " with " + describe(chain, consumed.size() > chain.nodes().size()));
        }
        consumed.forEach(n -> { if (n != last) g.remove(n); });
        g.remove(conv);
        g.replace(last, List.of(replacement));
        consumed.forEach(n -> ctx.explain(n.name(), "fused into " + replacement.qualifiedOp() + " '" + conv.name() + "'"));
        ctx.rewrote(1);
    }

    private static String describe(EpilogueChain chain, boolean bias) {
        List<String> parts = new ArrayList<>();
        if (bias) parts.add("bias Add");
        if (chain.residual().equals("before_activation")) parts.add("residual Add");
        if (chain.activation() != null) parts.add(chain.activation().name());
        if (chain.residual().equals("after_activation")) parts.add("residual Add");
        return String.join(" → ", parts);
    }
}
