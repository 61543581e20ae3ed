package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.BatchNormFolding;
import dev.kiln.passes.fusion.BatchNormParams;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds inference BatchNormalization into the Conv, ConvTranspose, Gemm or MatMul with constant weights that
 * produces its input (weights and bias scaled per output channel), and turns every other inference
 * BatchNormalization into a per-channel Mul and Add with constant scale and shift. A producer is only folded into
 * when the BatchNormalization is the sole reader of its output.
 */
public final class FoldBatchNorm implements Pass {
    @Override
    public String name() { return "fold-batch-norm"; }

    @Override
    public String summary() { return "fold inference BatchNormalization into the preceding Conv/Gemm/MatMul weights, or into Mul+Add"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphRewrite g = new GraphRewrite(graph);
        for (Node bn : graph.nodes()) {
            if (!bn.domain().isEmpty() || !bn.op().equals("BatchNormalization")) continue;
            BatchNormParams.Result r = BatchNormParams.of(bn, g);
            if (r.params() == null) {
                ctx.explain(bn.name(), "not folded: " + r.whyNot());
                continue;
            }
            String whyNotFolded = fold(bn, r.params(), g, ctx);
            if (whyNotFolded != null && !toMulAdd(bn, r.params(), g, ctx, whyNotFolded)) continue;
            ctx.rewrote(1);
        }
        return g.result(Map.of());
    }

    /** Folds into the producer; returns null when done, else why not. */
    private static String fold(Node bn, BatchNormParams p, GraphRewrite g, PassContext ctx) {
        Value x = bn.input(0);
        Node producer = g.producer(x);
        if (producer == null) return "its input '" + x.name() + "' is not computed by a node";
        String what = producer.op() + " '" + producer.name() + "'";
        if (!producer.domain().isEmpty() || !List.of("Conv", "ConvTranspose", "Gemm", "MatMul").contains(producer.op())) {
            return "its producer " + what + " has no weights to fold into";
        }
        if (g.isReplaced(producer)) return what + " was already rewritten";
        if (g.soleReader(x) != bn) return what + " output '" + x.name() + "' is also read elsewhere";
        Tensor w = g.constant(producer.input(1));
        if (w == null) return what + " weight '" + producer.input(1).name() + "' is not a constant";
        if (!w.dtype().isFloat()) return what + " weight is not a float tensor";
        String why = switch (producer.op()) {
            case "Conv", "ConvTranspose" -> foldConv(bn, producer, w, p, g);
            case "Gemm" -> foldGemm(bn, producer, w, p, g);
            default -> foldMatMul(bn, producer, w, p, g);
        };
        if (why != null) return why;
        ctx.explain(bn.name(), "folded into " + what + ": weights and bias scaled per output channel");
        ctx.explain(producer.name(), "absorbed BatchNormalization '" + bn.name() + "'");
        return null;
    }

    private static String foldConv(Node bn, Node conv, Tensor w, BatchNormParams p, GraphRewrite g) {
        boolean transposed = conv.op().equals("ConvTranspose");
        Attribute groupAttr = conv.attribute("group");
        long group = groupAttr == null ? 1 : groupAttr.asInt();
        long outChannels = transposed ? w.dim(1) * group : w.dim(0);
        if (w.rank() < 3 || outChannels != p.channels()) {
            return conv.op() + " '" + conv.name() + "' has " + outChannels + " output channels, BatchNormalization has " + p.channels();
        }
        Tensor bias = null;
        if (!conv.input(2).isAbsent()) {
            bias = g.constant(conv.input(2));
            if (bias == null) return conv.op() + " '" + conv.name() + "' bias is not a constant";
        }
        Tensor newW = transposed ? BatchNormFolding.scaleConvTransposeWeight(w, group, p.scale()) : BatchNormFolding.scaleConvWeight(w, p.scale());
        Value wv = g.addConstant(conv.input(1).name() + "_bn", newW);
        Value bv = g.addConstant(bn.name() + "_bias", BatchNormFolding.bias(w.dtype(), bias, 1, p));
        g.replace(conv, List.of(new Node(conv.name(), conv.domain(), conv.op(), List.of(conv.input(0), wv, bv),
                List.of(bn.output(0)), conv.attributes())));
        g.remove(bn);
        return null;
    }

    private static String foldGemm(Node bn, Node gemm, Tensor b, BatchNormParams p, GraphRewrite g) {
        boolean transB = gemm.attribute("transB") != null && gemm.attribute("transB").asInt() != 0;
        if (b.rank() != 2 || b.dim(transB ? 0 : 1) != p.channels()) return "Gemm '" + gemm.name() + "' output columns do not match the channels";
        double beta = gemm.attribute("beta") == null ? 1 : gemm.attribute("beta").asFloat();
        Tensor c = gemm.input(2).isAbsent() ? null : g.constant(gemm.input(2));
        if (!gemm.input(2).isAbsent() && c == null) return "Gemm '" + gemm.name() + "' C is not a constant";
        Tensor newC;
        if (c == null || c.size() == 1 || (c.size() == p.channels() && c.dim(c.rank() - 1) == p.channels())) {
            newC = BatchNormFolding.bias(b.dtype(), c, beta, p);
        } else if (c.rank() == 2 && c.dim(1) == p.channels()) {
            newC = BatchNormFolding.fullBias(c, beta, p);
        } else {
            return "Gemm '" + gemm.name() + "' C " + c.type() + " is not per output column";
        }
        Map<String, Attribute> attrs = new LinkedHashMap<>(gemm.attributes());
        attrs.put("beta", Attribute.of(1f));
        Value bv = g.addConstant(gemm.input(1).name() + "_bn", BatchNormFolding.scaleMatrix(b, transB, p.scale()));
        Value cv = g.addConstant(bn.name() + "_bias", newC);
        g.replace(gemm, List.of(new Node(gemm.name(), "", "Gemm", List.of(gemm.input(0), bv, cv), List.of(bn.output(0)), attrs)));
        g.remove(bn);
        return null;
    }

    /** MatMul with a 2-D output: BN's channel axis is the last one, so it becomes MatMul(A, B * s) + shift. */
    private static String foldMatMul(Node bn, Node matmul, Tensor b, BatchNormParams p, GraphRewrite g) {
        TensorType out = matmul.output(0).tensorType();
        if (!out.shape().hasRank() || out.shape().rank() != 2) {
            return "MatMul '" + matmul.name() + "' output has rank other than 2, so BatchNormalization's channel axis is not its last";
        }
        if (b.rank() != 2 || b.dim(1) != p.channels()) return "MatMul '" + matmul.name() + "' weight columns do not match the channels";
        Value bv = g.addConstant(matmul.input(1).name() + "_bn", BatchNormFolding.scaleMatrix(b, false, p.scale()));
        Value shift = g.addConstant(bn.name() + "_bias", BatchNormFolding.bias(b.dtype(), null, 0, p));
        Value product = new Value(g.freshName(matmul.output(0).name() + "_scaled"), bn.output(0).type());
        g.replace(matmul, List.of(new Node(matmul.name(), "", "MatMul", List.of(matmul.input(0), bv), List.of(product), Map.of())));
        Map<String, Attribute> attrs = g.graph().opset("") < 7 ? Map.of("broadcast", Attribute.of(1L)) : Map.of();
        g.replace(bn, List.of(new Node(bn.name(), "", "Add", List.of(product, shift), List.of(bn.output(0)), attrs)));
        return null;
    }

    /** Replaces the BatchNormalization by {@code x * scale + shift}; false (with a reason) when X's rank is unknown. */
    private static boolean toMulAdd(Node bn, BatchNormParams p, GraphRewrite g, PassContext ctx, String whyNotFolded) {
        TensorType x = bn.input(0).tensorType();
        if (!x.shape().hasRank() || x.shape().rank() < 2 || !x.shape().dim(1).isStatic() || x.shape().dim(1).size() != p.channels()) {
            ctx.explain(bn.name(), "not folded (" + whyNotFolded + ") and not rewritten: input " + x + " has no static channel dim of " + p.channels());
            return false;
        }
        // Before opset 7, Mul and Add broadcast only when told to, aligning B with A's axis 1 from a [C] constant.
        boolean legacy = g.graph().opset("") < 7;
        int rank = legacy ? 1 : x.shape().rank() - 1;
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        if (legacy) {
            attrs.put("axis", Attribute.of(1L));
            attrs.put("broadcast", Attribute.of(1L));
        }
        Value scale = g.addConstant(bn.name() + "_scale", BatchNormFolding.channelVector(x.dtype(), p.scale(), rank));
        Value shift = g.addConstant(bn.name() + "_shift", BatchNormFolding.channelVector(x.dtype(), p.shift(), rank));
        Value scaled = new Value(g.freshName(bn.output(0).name() + "_scaled"), bn.output(0).type());
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(g.freshName(bn.name() + "_mul"), "", "Mul", List.of(bn.input(0), scale), List.of(scaled), attrs));
        nodes.add(new Node(bn.name(), "", "Add", List.of(scaled, shift), List.of(bn.output(0)), attrs));
        g.replace(bn, nodes);
        ctx.explain(bn.name(), "not folded (" + whyNotFolded + "); became per-channel Mul + Add");
        return true;
    }
}
