package dev.kiln.passes.quant;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.microsoft.MicrosoftQuantOps;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code lower-qdq} whose integer forms are ONNX Runtime's com.microsoft ops (ONNX has none):
 * DQ→Add/Mul→Q to QLinearAdd/QLinearMul, DQ…→Concat→Q to QLinearConcat, DQ→AveragePool→Q to QLinearAveragePool and
 * DQ→GlobalAveragePool→Q to QLinearGlobalAveragePool. Every input and the output must be quantized per tensor with
 * float32 scales and one 8-bit type (the ops take one type T); the reference kernels compute exactly what the Q/DQ
 * graph does, so the rewrite does not move a single output value.
 */
public final class ContribQuantLowering {
    /** The float ops this lowering takes. */
    public static final Set<String> OPS = Set.of("Add", "Mul", "Concat", "AveragePool", "GlobalAveragePool");

    private ContribQuantLowering() {}

    /** The node replacing {@code n} (whose output is quantized by {@code out}), added to {@code with}; returns why it cannot be, or null. */
    public static String lower(Node n, Dequantized out, GraphRewrite g, Set<Node> dequantizers, List<Node> with) {
        DType type = out.integer().tensorType().dtype();
        if (!eightBitPerTensor(out, type)) return "its output quantization is not per-tensor 8-bit with a float32 scale";
        List<Dequantized> ins = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            Dequantized d = Dequantized.producing(n.input(i), g);
            if (d == null) return "input '" + n.input(i).name() + "' is not dequantized";
            if (!eightBitPerTensor(d, type)) return "input '" + n.input(i).name() + "' is not quantized per tensor as " + type + " with a float32 scale, like its output";
            ins.add(d);
        }
        String name = n.name();
        Value yZero = out.zeroPointOrZero(g, name + "_y_zero_point");
        List<Value> inputs = new ArrayList<>();
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        String op;
        switch (n.op()) {
            case "Add", "Mul" -> {
                op = "QLinear" + n.op();
                Dequantized a = ins.get(0), b = ins.get(1);
                inputs.addAll(List.of(a.integer(), a.scale(), a.zeroPointOrZero(g, name + "_a_zero_point"),
                        b.integer(), b.scale(), b.zeroPointOrZero(g, name + "_b_zero_point"), out.scale(), yZero));
            }
            case "Concat" -> {
                op = "QLinearConcat";
                attrs.put("axis", n.hasAttribute("axis") ? n.attribute("axis") : Attribute.of(1L)); // Concat before opset 4 defaults to 1
                inputs.addAll(List.of(out.scale(), yZero));
                for (int i = 0; i < ins.size(); i++) {
                    Dequantized x = ins.get(i);
                    inputs.addAll(List.of(x.integer(), x.scale(), x.zeroPointOrZero(g, name + "_x" + i + "_zero_point")));
                }
            }
            default -> {
                op = "QLinear" + n.op();
                if (n.hasAttribute("dilations") && java.util.Arrays.stream(n.attribute("dilations").asInts()).anyMatch(d -> d != 1)) {
                    return "QLinearAveragePool has no dilations";
                }
                attrs.putAll(n.attributes());
                attrs.remove("dilations");
                Dequantized x = ins.getFirst();
                inputs.addAll(List.of(x.integer(), x.scale(), x.zeroPointOrZero(g, name + "_x_zero_point"), out.scale(), yZero));
            }
        }
        ins.forEach(d -> dequantizers.add(d.node()));
        with.add(new Node(name, MicrosoftQuantOps.DOMAIN, op, inputs, List.of(out.integer()), attrs));
        return null;
    }

    private static boolean eightBitPerTensor(Dequantized d, DType type) {
        return d.perTensor() && d.integer().tensorType().dtype() == type && (type == DType.I8 || type == DType.U8)
                && d.scaleValue().dtype() == DType.F32;
    }
}
