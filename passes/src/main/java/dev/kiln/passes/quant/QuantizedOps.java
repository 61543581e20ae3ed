package dev.kiln.passes.quant;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.Activation;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which ops static quantization handles and how: Conv (depthwise included), Gemm and MatMul compute on int8 with
 * int8 weights; MaxPool keeps its input's scale (max commutes with a monotone quantization), and so do the
 * data-movement ops when their input is already quantized; Add, Concat and the average pools requantize to their own
 * output range.
 */
public final class QuantizedOps {
    private static final Set<String> REQUANTIZING = Set.of("Add", "Concat", "AveragePool", "GlobalAveragePool");
    /** Ops that only move values: on a quantized input they pass the integers through with the input's parameters. */
    public static final Set<String> DATA_MOVEMENT = Set.of("Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze");

    private QuantizedOps() {}

    /**
     * How one node is quantized: the float activation tensors read through Q/DQ, the tensor whose Q/DQ follows it
     * (a folded Relu/Clip's output, or its own), the weight input index (-1: none) with its channel axis and whether
     * the next input is a bias, whether the output shares the input's parameters; or why it stays float.
     */
    public record Plan(List<String> activations, Value output, Node activation, int weight, int weightAxis, boolean hasBias,
                       boolean sameScale, boolean needsQuantizedInput, String floatReason) {
        static Plan floating(String reason) { return new Plan(List.of(), null, null, -1, 0, false, false, false, reason); }

        public String describe(Map<String, QuantParams> params) {
            StringBuilder s = new StringBuilder();
            for (String t : activations) s.append(s.isEmpty() ? "" : ", ").append(t).append(' ').append(format(params.get(t)));
            if (weight >= 0) s.append(", weights per-channel int8 (axis ").append(weightAxis).append(')');
            if (hasBias) s.append(", bias int32");
            if (output != null) s.append(" → ").append(output.name()).append(' ').append(format(params.get(output.name())));
            if (activation != null) s.append(" (").append(activation.op()).append(" folded into the range)");
            return s.toString();
        }

        private static String format(QuantParams p) {
            return p == null ? "" : String.format("%s scale %.6g zero point %d", p.type().toString().toLowerCase(), p.scale(), p.zeroPoint());
        }
    }

    public static boolean isQdq(Node n) {
        return n.domain().isEmpty() && (n.op().equals("QuantizeLinear") || n.op().equals("DequantizeLinear"));
    }

    /** Relu and Clip: never quantized on their own, folded into the output range of the op before them. */
    public static boolean isFoldableActivation(Node n) { return n.domain().isEmpty() && (n.op().equals("Relu") || n.op().equals("Clip")); }

    /** The plan for {@code n}, null for an op this pass does not quantize. */
    public static Plan plan(Node n, GraphRewrite g, QuantizationSettings settings) {
        if (!n.domain().isEmpty()) return null;
        return switch (n.op()) {
            case "Conv" -> weighted(n, g, settings, 0, "W");
            case "Gemm" -> gemm(n, g, settings);
            case "MatMul" -> matmul(n, g, settings);
            case "MaxPool" -> n.outputs().size() > 1 && !n.output(1).isAbsent() ? Plan.floating("MaxPool returns Indices")
                    : activationsOnly(n, g, settings, List.of(n.input(0)), true);
            case "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze" -> {
                Plan p = activationsOnly(n, g, settings, List.of(n.input(0)), true);
                yield p.floatReason() != null ? p : new Plan(p.activations(), p.output(), null, -1, 0, false, true, true, null);
            }
            default -> REQUANTIZING.contains(n.op()) ? activationsOnly(n, g, settings, n.inputs(), false) : null;
        };
    }

    private static Plan gemm(Node n, GraphRewrite g, QuantizationSettings settings) {
        if (intAttr(n, "transA", 0) != 0) return Plan.floating("Gemm with transA");
        if (floatAttr(n, "alpha", 1) != 1 || (floatAttr(n, "beta", 1) != 1 && !n.input(2).isAbsent())) return Plan.floating("Gemm with alpha or beta other than 1");
        return weighted(n, g, settings, intAttr(n, "transB", 0) != 0 ? 0 : 1, "B");
    }

    private static Plan matmul(Node n, GraphRewrite g, QuantizationSettings settings) {
        Tensor b = g.constant(n.input(1));
        if (b == null) return activationsOnly(n, g, settings, n.inputs(), false);
        if (b.rank() != 2) return Plan.floating("MatMul weights of rank " + b.rank() + " (per-channel needs a matrix)");
        return weighted(n, g, settings, 1, "B");
    }

    /** Conv/Gemm/MatMul: input 0 an activation, input 1 a constant weight with channels on {@code axis}, input 2 an optional 1-D bias. */
    private static Plan weighted(Node n, GraphRewrite g, QuantizationSettings settings, int axis, String weightName) {
        Value x = n.input(0);
        if (!isFloatActivation(x, g)) return Plan.floating("input '" + x.name() + "' is not a float activation");
        Tensor w = g.constant(n.input(1));
        if (w == null || w.dtype() != DType.F32) return Plan.floating(weightName + " is not a float constant");
        Value b = n.input(2);
        Tensor bias = g.constant(b);
        if (!b.isAbsent() && (bias == null || bias.dtype() != DType.F32 || bias.rank() != 1 || bias.dim(0) != w.dim(axis))) {
            return Plan.floating("bias '" + b.name() + "' is not a float constant with one value per output channel");
        }
        Output out = output(n, g, settings);
        return new Plan(List.of(x.name()), out.value, out.activation, 1, axis, !b.isAbsent(), false, false, null);
    }

    private static Plan activationsOnly(Node n, GraphRewrite g, QuantizationSettings settings, List<Value> inputs, boolean sameScale) {
        List<String> names = new ArrayList<>();
        for (Value v : inputs) {
            if (!isFloatActivation(v, g)) return Plan.floating("input '" + v.name() + "' is not a float activation");
            if (!names.contains(v.name())) names.add(v.name());
        }
        if (!isFloat(n.output(0))) return Plan.floating("output is not f32");
        if (sameScale) return new Plan(names, n.output(0), null, -1, 0, false, true, false, null);
        Output out = output(n, g, settings);
        return new Plan(names, out.value, out.activation, -1, 0, false, false, false, null);
    }

    private record Output(Value value, Node activation) {}

    /** The node's output, or the output of the Relu/Clip that is its only reader (then that activation is folded). */
    private static Output output(Node n, GraphRewrite g, QuantizationSettings settings) {
        Value y = n.output(0);
        Node reader = g.soleReader(y);
        if (reader == null || !isFoldableActivation(reader) || settings.keepsFloat(reader.name())) return new Output(y, null);
        Activation a = Activation.of(y, List.of(reader), g);
        return a == null || a.nodes().size() != 1 ? new Output(y, null) : new Output(reader.output(0), reader);
    }

    private static boolean isFloatActivation(Value v, GraphRewrite g) {
        return !v.isAbsent() && g.constant(v) == null && isFloat(v);
    }

    private static boolean isFloat(Value v) { return v.type() instanceof TensorType t && t.dtype() == DType.F32; }

    private static long intAttr(Node n, String name, long fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    private static float floatAttr(Node n, String name, float fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asFloat();
    }
}
