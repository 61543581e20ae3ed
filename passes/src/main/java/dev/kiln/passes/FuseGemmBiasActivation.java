package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
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
 * Fuses a Gemm, or a MatMul of a 2-D input and constant 2-D weights, with a following Add of a per-column constant
 * (into C) and an activation into one kiln:FusedGemm; a bias alone turns the pair into a plain Gemm. Each fused value
 * must have the next node as its only reader.
 */
public final class FuseGemmBiasActivation implements Pass {
    private static final String FUSED = "kiln:FusedGemm";

    @Override
    public String name() { return "fuse-gemm-bias-activation"; }

    @Override
    public String summary() { return "fuse Gemm/MatMul with a bias Add and an activation into kiln:FusedGemm"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphRewrite g = new GraphRewrite(graph);
        for (Node node : graph.nodes()) {
            if (!node.domain().isEmpty() || g.isReplaced(node)) continue;
            if (node.op().equals("Gemm") || (node.op().equals("MatMul") && isMatrixTimesWeights(node, g, ctx))) fuse(node, g, ctx);
        }
        return g.result(Map.of("kiln", 1));
    }

    private static boolean isMatrixTimesWeights(Node matmul, GraphRewrite g, PassContext ctx) {
        TensorType a = matmul.input(0).tensorType();
        Tensor b = g.constant(matmul.input(1));
        if (b == null || b.rank() != 2) {
            ctx.explain(matmul.name(), "not fused: weights '" + matmul.input(1).name() + "' are not a constant matrix");
            return false;
        }
        if (!a.shape().hasRank() || a.shape().rank() != 2 || !a.dtype().isFloat()) {
            ctx.explain(matmul.name(), "not fused: input " + a + " is not a float matrix (kiln:FusedGemm takes 2-D A)");
            return false;
        }
        return true;
    }

    private static void fuse(Node mm, GraphRewrite g, PassContext ctx) {
        String base = mm.op() + " '" + mm.name() + "'";
        boolean isGemm = mm.op().equals("Gemm");
        Map<String, Attribute> attrs = new LinkedHashMap<>(isGemm ? mm.attributes() : Map.of());
        Value c = isGemm ? mm.input(2) : Value.ABSENT;
        Value out = mm.output(0);
        List<Node> consumed = new ArrayList<>();
        TensorType type = out.tensorType();
        String[] why = new String[1];
        long columns = type.shape().hasRank() && type.shape().rank() == 2 && type.shape().dim(1).isStatic() ? type.shape().dim(1).size() : -1;
        BiasAdd bias = columns < 0 ? null : BiasAdd.after(out, 1, columns, g, why);
        Tensor oldC = c.isAbsent() ? null : g.constant(c);
        boolean perColumnC = c.isAbsent() || (oldC != null && (oldC.size() == 1 || (oldC.size() == columns && oldC.dim(oldC.rank() - 1) == columns)));
        if (bias != null && perColumnC) {
            double beta = attrs.containsKey("beta") ? attrs.get("beta").asFloat() : 1;
            c = g.addConstant(mm.name() + "_bias", bias.plus(oldC, beta, type.dtype()));
            attrs.put("beta", Attribute.of(1f));
            consumed.add(bias.add());
            out = bias.add().output(0);
            ctx.explain(bias.add().name(), "folded into C of " + base);
        } else if (bias != null) {
            ctx.explain(bias.add().name(), "bias Add not folded into " + base + ": its C is not a constant per column");
        } else if (why[0] != null) {
            ctx.explain(mm.name(), "bias not folded: " + why[0]);
        }
        EpilogueChain chain = EpilogueChain.after(out, g, base, false);
        chain.nearMisses().forEach(m -> ctx.explain(mm.name(), m));
        if (!chain.isEmpty() && !ctx.target().canExecute(FUSED)) {
            ctx.explain(mm.name(), "not fused: the target cannot execute " + FUSED);
        } else if (!chain.isEmpty()) {
            consumed.addAll(chain.nodes());
            out = chain.output();
        }
        if (consumed.isEmpty()) return;
        List<Value> inputs = new ArrayList<>(List.of(mm.input(0), mm.input(1), c));
        while (inputs.getLast().isAbsent()) inputs.removeLast();
        boolean activation = !chain.isEmpty() && consumed.containsAll(chain.nodes());
        if (activation) attrs.putAll(chain.activation().attributes());
        Node replacement = activation
                ? new Node(mm.name(), "kiln", "FusedGemm", inputs, List.of(out), attrs)
                : new Node(mm.name(), "", "Gemm", inputs, List.of(out), attrs);
        ctx.explain(mm.name(), activation
                ? "fused into " + FUSED + " with " + (consumed.size() > chain.nodes().size() ? "bias Add → " : "") + chain.activation().name()
                : "absorbed bias Add '" + bias.add().name() + "' as Gemm's C");
        Node last = consumed.getLast();
        consumed.forEach(n -> { if (n != last) g.remove(n); });
        g.remove(mm);
        g.replace(last, List.of(replacement));
        consumed.forEach(n -> ctx.explain(n.name(), "fused into " + replacement.qualifiedOp() + " '" + mm.name() + "'"));
        ctx.rewrote(1);
    }
}
