package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.GraphRewrite;
import dev.kiln.passes.quant.DynamicRecurrent;
import dev.kiln.passes.quant.QdqNodes;
import dev.kiln.passes.quant.QuantizationSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic quantization ({@code --quantize int8-dynamic}) of MatMul and Gemm with constant weights, in the standard
 * ONNX form: DynamicQuantizeLinear picks the activation's uint8 scale and zero point on every run, MatMulInteger
 * multiplies it with per-column symmetric int8 weights into int32, and a Cast and a Mul by a_scale·w_scale[n] (plus
 * the bias, in float) give the float result. No calibration is needed. LSTM and GRU with constant weights become
 * their dynamically quantized ops ({@link DynamicRecurrent}); RNN stays float.
 */
public final class QuantizeDynamic implements Pass {
    @Override
    public String name() { return "quantize-dynamic"; }

    @Override
    public String summary() { return "MatMul/Gemm with constant weights → DynamicQuantizeLinear + MatMulInteger + scale, LSTM/GRU → DynamicQuantizeLSTM/GRU (--quantize int8-dynamic)"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        QuantizationSettings settings = ctx.quantization();
        if (settings == null || settings.mode() != QuantizationSettings.Mode.DYNAMIC) return graph;
        GraphRewrite g = new GraphRewrite(graph);
        Map<String, List<Value>> quantizedInputs = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (DynamicRecurrent.applies(n)) {
                String why = settings.keepsFloat(n.name()) ? "kept in float by --keep-float" : DynamicRecurrent.rewrite(n, g);
                ctx.explain(n.name(), why != null ? "kept in float: " + why : DynamicRecurrent.explanation(n));
                if (why == null) ctx.rewrote(1);
                continue;
            }
            if (!n.domain().isEmpty() || !(n.op().equals("MatMul") || n.op().equals("Gemm"))) continue;
            String why = settings.keepsFloat(n.name()) ? "kept in float by --keep-float" : rewrite(n, g, quantizedInputs);
            if (why != null) ctx.explain(n.name(), "kept in float: " + why);
            else {
                ctx.explain(n.name(), "quantized dynamically: DynamicQuantizeLinear → MatMulInteger → Cast → Mul");
                ctx.rewrote(1);
            }
        }
        return g.result(DynamicRecurrent.OPSETS);
    }

    private static String rewrite(Node n, GraphRewrite g, Map<String, List<Value>> quantizedInputs) {
        boolean gemm = n.op().equals("Gemm");
        Value a = n.input(0);
        Tensor w = g.constant(n.input(1));
        if (g.constant(a) != null || a.tensorType().dtype() != DType.F32) return "input A is not a float activation";
        if (w == null || w.dtype() != DType.F32 || w.rank() != 2) return "B is not a 2-D float constant";
        if (gemm && (intAttr(n, "transA") != 0 || floatAttr(n, "alpha") != 1 || floatAttr(n, "beta") != 1 || a.tensorType().shape().rank() != 2)) {
            return "Gemm with transA, alpha or beta other than the plain product";
        }
        boolean transB = gemm && intAttr(n, "transB") != 0;
        long cols = transB ? w.dim(0) : w.dim(1);
        Tensor bias = gemm && !n.input(2).isAbsent() ? g.constant(n.input(2)) : null;
        if (gemm && !n.input(2).isAbsent() && (bias == null || bias.rank() != 1 || bias.dim(0) != cols)) return "bias C is not a 1-D constant per column";
        Tensor kn = transB ? transpose(w) : w;
        float[] scales = QdqNodes.weightScales(kn, 1);
        Value wq = g.addConstant(n.name() + "_weight_quantized", QdqNodes.quantizeAlong(kn, 1, scales, DType.I8));
        Value wScale = g.addConstant(n.name() + "_weight_scale", Tensor.ofFloats(new long[] {cols}, scales));
        List<Node> with = new ArrayList<>();
        List<Value> aq = quantizedInputs.get(a.name());
        if (aq == null) {
            String base = a.name();
            aq = List.of(new Value(g.freshName(base + "_quantized"), new TensorType(DType.U8, a.tensorType().shape())),
                    new Value(g.freshName(base + "_scale"), TensorType.of(DType.F32)),
                    new Value(g.freshName(base + "_zero_point"), TensorType.of(DType.U8)));
            with.add(new Node(g.freshName(base + "_dynamic_quantize"), "", "DynamicQuantizeLinear", List.of(a), aq, Map.of()));
            quantizedInputs.put(a.name(), aq);
        }
        Value y = n.output(0);
        Shape shape = y.tensorType().shape();
        Value acc = new Value(g.freshName(n.name() + "_int32"), new TensorType(DType.I32, shape));
        Value accFloat = new Value(g.freshName(n.name() + "_accumulated"), new TensorType(DType.F32, shape));
        Value scale = new Value(g.freshName(n.name() + "_scale"), new TensorType(DType.F32, Shape.of(cols)));
        Value product = bias == null ? y : new Value(g.freshName(n.name() + "_product"), y.type());
        with.add(new Node(n.name(), "", "MatMulInteger", List.of(aq.get(0), wq, aq.get(2)), List.of(acc), Map.of()));
        with.add(new Node(g.freshName(n.name() + "_to_float"), "", "Cast", List.of(acc), List.of(accFloat), Map.of("to", Attribute.of(1L))));
        with.add(new Node(g.freshName(n.name() + "_scales"), "", "Mul", List.of(aq.get(1), wScale), List.of(scale), Map.of()));
        with.add(new Node(g.freshName(n.name() + "_rescale"), "", "Mul", List.of(accFloat, scale), List.of(product), Map.of()));
        if (bias != null) with.add(new Node(g.freshName(n.name() + "_bias"), "", "Add", List.of(product, n.input(2)), List.of(y), Map.of()));
        g.replace(n, with);
        return null;
    }

    private static Tensor transpose(Tensor w) {
        long rows = w.dim(0);
        long cols = w.dim(1);
        Tensor t = Tensor.zeros(w.dtype(), cols, rows);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t.setDouble((int) (j * rows + i), w.getDouble((int) (i * cols + j)));
        return t;
    }

    private static long intAttr(Node n, String name) { return n.hasAttribute(name) ? n.attribute(name).asInt() : 0; }

    private static float floatAttr(Node n, String name) { return n.hasAttribute(name) ? n.attribute(name).asFloat() : 1; }
}
