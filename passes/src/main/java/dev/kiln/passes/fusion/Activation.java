package dev.kiln.passes.fusion;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An activation applied to one value, as a fused op's epilogue records it: the kiln activation name, its float
 * parameters, Gelu's approximation, the nodes it replaces (one, or Sigmoid and Mul for Silu) and its output.
 */
public record Activation(String name, float[] params, String approximate, List<Node> nodes, Value output) {
    private static final Set<String> PLAIN = Set.of("Relu", "Sigmoid", "Tanh", "HardSwish");

    /** The epilogue attributes of a fused op for this activation. */
    public Map<String, Attribute> attributes() {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("activation", Attribute.of(name));
        if (params.length > 0) attrs.put("activation_params", Attribute.floats(params));
        if (!approximate.equals("none")) attrs.put("activation_approximate", Attribute.of(approximate));
        return attrs;
    }

    /**
     * The activation {@code reader} applies to {@code v}, or null when it is none: {@code readers} are all nodes
     * reading v (two for Silu: {@code Sigmoid(v)} and {@code Mul(v, sigmoid)}).
     */
    public static Activation of(Value v, List<Node> readers, GraphRewrite g) {
        if (readers.size() == 2) return silu(v, readers, g);
        if (readers.size() != 1) return null;
        Node n = readers.getFirst();
        if (!n.domain().isEmpty() || n.input(0).isAbsent() || !n.input(0).name().equals(v.name())) return null;
        Value out = n.output(0);
        return switch (n.op()) {
            case String op when PLAIN.contains(op) -> new Activation(op, new float[0], "none", List.of(n), out);
            case "LeakyRelu" -> new Activation("LeakyRelu", new float[] {floatAttr(n, "alpha", 0.01f)}, "none", List.of(n), out);
            case "HardSigmoid" -> new Activation("HardSigmoid",
                    new float[] {floatAttr(n, "alpha", 0.2f), floatAttr(n, "beta", 0.5f)}, "none", List.of(n), out);
            case "Gelu" -> {
                Attribute a = n.attribute("approximate");
                yield new Activation("Gelu", new float[0], a == null ? "none" : a.asString(), List.of(n), out);
            }
            case "Clip" -> clip(n, g);
            default -> null;
        };
    }

    /** True when the node is an activation op this fusion knows, used to explain near misses. */
    public static boolean isActivationOp(Node n) {
        return n.domain().isEmpty() && (PLAIN.contains(n.op()) || Set.of("LeakyRelu", "HardSigmoid", "Gelu", "Clip").contains(n.op()));
    }

    /** Clip with constant float bounds (attributes before opset 11, inputs from it on), each exact as a float. */
    private static Activation clip(Node n, GraphRewrite g) {
        Graph graph = g.graph();
        float lo;
        float hi;
        if (graph.opset("") < 11) {
            lo = floatAttr(n, "min", -Float.MAX_VALUE);
            hi = floatAttr(n, "max", Float.MAX_VALUE);
        } else {
            Float min = bound(n.input(1), g, Float.NEGATIVE_INFINITY);
            Float max = bound(n.input(2), g, Float.POSITIVE_INFINITY);
            if (min == null || max == null) return null;
            lo = min;
            hi = max;
        }
        return new Activation("Clip", new float[] {lo, hi}, "none", List.of(n), n.output(0));
    }

    private static Float bound(Value v, GraphRewrite g, float absent) {
        if (v.isAbsent()) return absent;
        Tensor t = g.constant(v);
        if (t == null || t.size() != 1 || !t.dtype().isFloat()) return null;
        double d = t.getDouble(0);
        return (double) (float) d == d || t.dtype() != DType.F64 ? (float) d : null;
    }

    /** {@code Mul(v, Sigmoid(v))} in either operand order, the Sigmoid read only by the Mul. */
    private static Activation silu(Value v, List<Node> readers, GraphRewrite g) {
        Node sig = readers.stream().filter(n -> n.domain().isEmpty() && n.op().equals("Sigmoid")).findFirst().orElse(null);
        Node mul = readers.stream().filter(n -> n.domain().isEmpty() && n.op().equals("Mul")).findFirst().orElse(null);
        if (sig == null || mul == null || g.soleReader(sig.output(0)) != mul) return null;
        String a = mul.input(0).name();
        String b = mul.input(1).name();
        String s = sig.output(0).name();
        boolean matches = (a.equals(v.name()) && b.equals(s)) || (a.equals(s) && b.equals(v.name()));
        return matches ? new Activation("Silu", new float[0], "none", List.of(sig, mul), mul.output(0)) : null;
    }

    private static float floatAttr(Node n, String name, float fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asFloat();
    }
}
