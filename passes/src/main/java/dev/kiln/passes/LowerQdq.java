package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.Activation;
import dev.kiln.passes.fusion.GraphRewrite;
import dev.kiln.ir.ops.microsoft.MicrosoftQuantOps;
import dev.kiln.passes.quant.ContribQuantLowering;
import dev.kiln.passes.quant.Dequantized;
import dev.kiln.passes.quant.QuantParams;
import dev.kiln.passes.quant.QuantizedOps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the Q/DQ form into the ONNX integer ops: DQ→Conv→[Relu|Clip]→Q becomes QLinearConv (depthwise included),
 * DQ→MatMul→Q QLinearMatMul, DQ→Gemm→Q a QLinearConv over a 1×1 image between two Reshapes (QLinearMatMul has no
 * bias; a 1×1 QLinearConv adds the int32 bias before requantizing, exactly as the Q/DQ graph means), and DQ→MaxPool→Q
 * (or a data-movement op: Flatten, Reshape, …) with equal parameters the same op on the integers. Add, Mul, Concat and
 * average pooling become ONNX Runtime's com.microsoft QLinearAdd, QLinearMul, QLinearConcat, QLinearAveragePool and
 * QLinearGlobalAveragePool ({@link ContribQuantLowering}). A Relu or Clip after Conv, Gemm, MatMul or Add folds when
 * the output range already lies inside its bounds, so the requantization's saturation is the clamp. Runs on QDQ
 * models from other tools too.
 */
public final class LowerQdq implements Pass {
    @Override
    public String name() { return "lower-qdq"; }

    @Override
    public String summary() { return "fold DequantizeLinear→op→QuantizeLinear into QLinearConv/QLinearMatMul/int8 MaxPool and com.microsoft QLinearAdd/Concat/AveragePool"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphRewrite g = new GraphRewrite(graph);
        Set<Node> dequantizers = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (!n.domain().isEmpty() || g.isReplaced(n)) continue;
            if (!Set.of("Conv", "Gemm", "MatMul", "MaxPool").contains(n.op()) && !QuantizedOps.DATA_MOVEMENT.contains(n.op())
                    && !ContribQuantLowering.OPS.contains(n.op())) continue;
            Dequantized x = Dequantized.producing(n.input(0), g);
            if (x == null) continue;
            String why = lower(n, x, g, dequantizers, ctx);
            if (why != null) ctx.explain(n.name(), "not lowered to an integer op: " + why);
        }
        for (Node dq : dequantizers) {
            boolean unread = g.uses().readers(dq.output(0).name()).stream().allMatch(g::isReplaced) && !g.uses().isGraphOutput(dq.output(0).name());
            if (unread) g.remove(dq);
        }
        return g.result(Map.of(MicrosoftQuantOps.DOMAIN, MicrosoftQuantOps.OPSET));
    }

    /** Rewrites {@code n}; returns why it cannot be, or null when it was. */
    private static String lower(Node n, Dequantized x, GraphRewrite g, Set<Node> dequantizers, PassContext ctx) {
        if (!x.perTensor()) return "input '" + n.input(0).name() + "' is not quantized per tensor";
        Value y = n.output(0);
        Node act = g.soleReader(y);
        Activation clamp = null;
        if (act != null && act.domain().isEmpty() && (act.op().equals("Relu") || act.op().equals("Clip")) && Set.of("Conv", "Gemm", "MatMul", "Add").contains(n.op())) {
            clamp = Activation.of(y, List.of(act), g);
            if (clamp == null) return act.describe() + " has bounds that are not constants";
            y = act.output(0);
        }
        Dequantized out = Dequantized.quantizing(y, g);
        if (out == null || !out.perTensor()) return "its output is not quantized per tensor by its only reader";
        if (clamp != null && !within(out.params(), clamp)) return clamp.name() + " clamps inside the output range, so saturation cannot do it";
        List<Node> with;
        switch (n.op()) {
            case "Add", "Mul", "Concat", "AveragePool", "GlobalAveragePool" -> {
                with = new ArrayList<>();
                String why = ContribQuantLowering.lower(n, out, g, dequantizers, with);
                if (why != null) return why;
            }
            case "MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze" -> {
                if (n.outputs().size() > 1 && !n.output(1).isAbsent()) return "MaxPool returns Indices";
                if (!out.params().equals(x.params())) return n.op() + "'s output quantization differs from its input's";
                List<Value> inputs = new ArrayList<>(n.inputs());
                inputs.set(0, x.integer());
                with = List.of(new Node(n.name(), "", n.op(), inputs, List.of(out.integer()), n.attributes()));
            }
            case "MatMul" -> {
                Dequantized b = Dequantized.producing(n.input(1), g);
                if (b == null) return "input B is not dequantized";
                if (!b.perTensor() && (b.integer().tensorType().shape().rank() != 2 || (b.axis() != 1 && b.axis() != -1))) return "B is not quantized per tensor or per column";
                dequantizers.add(b.node());
                Value bZero = b.perTensor() || !b.zeroPoint().isAbsent() ? b.zeroPointOrZero(g, n.name() + "_b_zero_point")
                        : g.addConstant(n.name() + "_b_zero_point", Tensor.zeros(b.integer().tensorType().dtype(), b.scaleValue().size()));
                with = List.of(new Node(n.name(), "", "QLinearMatMul", List.of(x.integer(), x.scale(), x.zeroPointOrZero(g, n.name() + "_a_zero_point"),
                        b.integer(), b.scale(), bZero, out.scale(), out.zeroPointOrZero(g, n.name() + "_y_zero_point")), List.of(out.integer()), Map.of()));
            }
            default -> {
                Dequantized w = Dequantized.producing(n.input(1), g);
                if (w == null) return "its weights are not dequantized";
                boolean gemm = n.op().equals("Gemm");
                int channelAxis = gemm && !n.hasAttribute("transB") || gemm && n.attribute("transB").asInt() == 0 ? 1 : 0;
                if (!w.perTensor() && w.axis() != channelAxis) return "its weights are quantized along axis " + w.axis() + ", not the output channels";
                Value bias = n.input(2);
                Dequantized b = bias.isAbsent() ? null : Dequantized.producing(bias, g);
                if (!bias.isAbsent() && (b == null || b.integer().tensorType().dtype() != DType.I32 || !biasScaleMatches(x, w, b))) {
                    return "bias is not int32 with scale x_scale·w_scale";
                }
                dequantizers.add(w.node());
                if (b != null) dequantizers.add(b.node());
                with = gemm ? gemmAsConv(n, x, w, b, out, g) : List.of(qlinearConv(n, n.name(), x.integer(), x, w.integer(), w, b, out, out.integer(), n.attributes(), g));
                if (with == null) return "Gemm needs 2-D constant int8 weights and alpha = beta = 1 without transA";
            }
        }
        dequantizers.add(x.node());
        if (clamp != null) g.remove(act);
        g.remove(n);
        g.replace(out.node(), with);
        ctx.explain(n.name(), "lowered to " + String.join(" → ", with.stream().map(Node::op).toList())
                + (clamp == null ? "" : ", " + clamp.name() + " '" + act.name() + "' folded into the output saturation"));
        ctx.rewrote(1);
        return null;
    }

    private static Node qlinearConv(Node n, String name, Value xq, Dequantized x, Value wq, Dequantized w, Dequantized b, Dequantized out,
                                    Value yq, Map<String, Attribute> attrs, GraphRewrite g) {
        List<Value> inputs = new ArrayList<>(List.of(xq, x.scale(), x.zeroPointOrZero(g, n.name() + "_x_zero_point"), wq, w.scale(),
                w.zeroPointOrZero(g, n.name() + "_w_zero_point"), out.scale(), out.zeroPointOrZero(g, n.name() + "_y_zero_point")));
        if (b != null) inputs.add(b.integer());
        return new Node(name, "", "QLinearConv", inputs, List.of(yq), attrs);
    }

    /** Gemm as Reshape [N,K]→[N,K,1,1], QLinearConv with W as [M,K,1,1], Reshape back to [N,M]. */
    private static List<Node> gemmAsConv(Node n, Dequantized x, Dequantized w, Dequantized b, Dequantized out, GraphRewrite g) {
        Tensor wq = g.constant(w.integer());
        boolean transB = n.hasAttribute("transB") && n.attribute("transB").asInt() != 0;
        boolean plain = (!n.hasAttribute("transA") || n.attribute("transA").asInt() == 0)
                && (!n.hasAttribute("alpha") || n.attribute("alpha").asFloat() == 1) && (!n.hasAttribute("beta") || n.attribute("beta").asFloat() == 1);
        if (wq == null || wq.rank() != 2 || !plain || x.integer().tensorType().shape().rank() != 2) return null;
        long m = transB ? wq.dim(0) : wq.dim(1);
        long k = transB ? wq.dim(1) : wq.dim(0);
        Tensor kernel = Tensor.zeros(wq.dtype(), m, k, 1, 1);
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) kernel.setLong((int) (i * k + j), wq.getLong((int) (transB ? i * k + j : j * m + i)));
        Value kernelValue = g.addConstant(n.name() + "_weight_1x1", kernel);
        Value toImage = g.addConstant(n.name() + "_image_shape", Tensor.ofLongs(DType.I64, new long[] {4}, 0, k, 1, 1));
        Value toMatrix = g.addConstant(n.name() + "_matrix_shape", Tensor.ofLongs(DType.I64, new long[] {2}, 0, m));
        Shape rows = x.integer().tensorType().shape();
        Value image = new Value(g.freshName(n.name() + "_image"), new TensorType(x.integer().tensorType().dtype(),
                Shape.of(List.of(rows.dim(0), dev.kiln.ir.Dim.of(k), dev.kiln.ir.Dim.of(1), dev.kiln.ir.Dim.of(1)))));
        Value convOut = new Value(g.freshName(n.name() + "_conv"), new TensorType(out.integer().tensorType().dtype(),
                Shape.of(List.of(rows.dim(0), dev.kiln.ir.Dim.of(m), dev.kiln.ir.Dim.of(1), dev.kiln.ir.Dim.of(1)))));
        Node reshapeIn = new Node(g.freshName(n.name() + "_to_image"), "", "Reshape", List.of(x.integer(), toImage), List.of(image), Map.of());
        Node conv = qlinearConv(n, n.name(), image, x, kernelValue, w, b, out, convOut, Map.of(), g);
        Node reshapeOut = new Node(g.freshName(n.name() + "_to_matrix"), "", "Reshape", List.of(convOut, toMatrix), List.of(out.integer()), Map.of());
        return List.of(reshapeIn, conv, reshapeOut);
    }

    private static boolean biasScaleMatches(Dequantized x, Dequantized w, Dequantized b) {
        Tensor ws = w.scaleValue();
        Tensor bs = b.scaleValue();
        if (bs.size() != ws.size() && bs.size() != 1) return false;
        for (int c = 0; c < Math.max(ws.size(), bs.size()); c++) {
            double expected = x.scalarScale() * ws.getDouble(ws.size() == 1 ? 0 : c);
            double actual = bs.getDouble(bs.size() == 1 ? 0 : c);
            if (Math.abs(actual - expected) > 1e-6 * Math.abs(expected)) return false;
        }
        return (b.zeroValue() == null || java.util.Arrays.stream(b.zeroValue().toLongs()).allMatch(z -> z == 0));
    }

    /** Whether every value the output quantization can hold lies within the activation's bounds. */
    private static boolean within(QuantParams out, Activation clamp) {
        double lo = clamp.name().equals("Clip") ? clamp.params()[0] : 0;
        double hi = clamp.name().equals("Clip") ? clamp.params()[1] : Double.POSITIVE_INFINITY;
        double slack = out.scale() * 1e-3;
        return out.lowest() >= lo - slack && out.highest() <= hi + slack;
    }
}
