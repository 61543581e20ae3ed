package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;

import java.util.List;
import java.util.Set;

/**
 * The float32 C expression of each elementwise op, over argument expressions that are plain variables (so an
 * argument may appear twice). The one table behind standalone elementwise kernels, fused elementwise bodies and
 * the activations fused into Conv and Gemm epilogues.
 */
public final class ScalarMath {
    /** Ops of one input (ONNX names; {@code Gelu} also stands for {@code kiln:Gelu}). */
    public static final Set<String> UNARY = Set.of("Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil",
            "Celu", "Cos", "Cosh", "Elu", "Erf", "Exp", "Floor", "Gelu", "HardSigmoid", "HardSwish", "LeakyRelu", "Log",
            "Mish", "Neg", "Reciprocal", "Relu", "Round", "Selu", "Sigmoid", "Sign", "Sin", "Sinh", "Softplus",
            "Softsign", "Sqrt", "Tan", "Tanh", "ThresholdedRelu");
    /** Ops of two or more broadcast inputs, and Clip with its optional bounds. */
    public static final Set<String> NARY = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean",
            "PRelu", "Clip");

    /**
     * Cast, to float32 only (OpSupport): an int8/uint8/int32 operand was converted as the kernel loaded it into a
     * float variable — exactly for 8-bit values, to nearest even for int32, as Cast converts — so it is the operand.
     */
    private static final String CAST = "Cast";

    private ScalarMath() {}

    public static boolean handles(String op) { return UNARY.contains(op) || NARY.contains(op) || op.equals(CAST); }

    /** {@code node}'s expression; {@code args.get(i)} is null where optional input i is absent. */
    static String expression(Node node, List<String> args) {
        String op = node.op();
        String x = args.getFirst();
        if (op.equals(CAST)) return x;
        if (UNARY.contains(op)) return unary(op, x, node);
        return switch (op) {
            case "Add", "Sum" -> join(args, " + ");
            case "Sub" -> "(" + x + " - " + args.get(1) + ")";
            case "Mul" -> join(args, " * ");
            case "Div" -> "(" + x + " / " + args.get(1) + ")";
            case "Pow" -> "pow(" + x + ", " + args.get(1) + ")";
            case "Max" -> fold(args, "fmax");
            case "Min" -> fold(args, "fmin");
            case "Mean" -> "(" + join(args, " + ") + " / " + args.size() + ".0f)";
            case "PRelu" -> "(" + x + " < 0.0f ? " + args.get(1) + " * " + x + " : " + x + ")";
            case "Clip" -> clip(node, args);
            default -> throw new IllegalArgumentException("no scalar expression for " + op);
        };
    }

    /** An epilogue activation of {@code kiln:FusedConv}/{@code kiln:FusedGemm} ({@code ""} is none). */
    static String activation(String name, float[] params, String approximate, String x) {
        return switch (name) {
            case "" -> x;
            case "Clip" -> "fmin(fmax(" + x + ", " + Index.literal(params[0]) + "), " + Index.literal(params[1]) + ")";
            case "LeakyRelu" -> leakyRelu(x, params[0]);
            case "HardSigmoid" -> hardSigmoid(x, params[0], params[1]);
            case "Silu" -> "(" + x + " / (1.0f + exp(-" + x + ")))";
            case "Gelu" -> gelu(x, approximate);
            default -> unary(name, x, null);
        };
    }

    private static String unary(String op, String x, Node node) {
        return switch (op) {
            case "Abs" -> "fabs(" + x + ")";
            case "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Erf", "Exp", "Floor",
                 "Log", "Sin", "Sinh", "Sqrt", "Tan", "Tanh" -> op.toLowerCase(java.util.Locale.ROOT) + "(" + x + ")";
            case "Celu" -> celu(x, attr(node, "alpha", 1f));
            case "Elu" -> "(" + x + " < 0.0f ? " + Index.literal(attr(node, "alpha", 1f)) + " * (exp(" + x + ") - 1.0f) : " + x + ")";
            case "Gelu" -> gelu(x, node == null ? "none" : stringAttr(node, "approximate", "none"));
            case "HardSigmoid" -> hardSigmoid(x, attr(node, "alpha", 0.2f), attr(node, "beta", 0.5f));
            case "HardSwish" -> "(" + x + " * " + hardSigmoid(x, 1f / 6, 0.5f) + ")";
            case "LeakyRelu" -> leakyRelu(x, attr(node, "alpha", 0.01f));
            case "Mish" -> "(" + x + " * tanh(log(1.0f + exp(" + x + "))))";
            case "Neg" -> "(-" + x + ")";
            case "Reciprocal" -> "(1.0f / " + x + ")";
            case "Relu" -> "fmax(" + x + ", 0.0f)";
            case "Round" -> "rint(" + x + ")"; // ONNX rounds half to even, as rint does in the default rounding mode
            case "Selu" -> "(" + Index.literal(attr(node, "gamma", 1.05070102214813232421875f)) + " * (" + x + " > 0.0f ? "
                    + x + " : " + Index.literal(attr(node, "alpha", 1.67326319217681884765625f)) + " * (exp(" + x + ") - 1.0f)))";
            case "Sigmoid" -> "(1.0f / (1.0f + exp(-" + x + ")))";
            case "Sign" -> "(" + x + " > 0.0f ? 1.0f : (" + x + " < 0.0f ? -1.0f : " + x + "))";
            case "Softplus" -> "log(1.0f + exp(" + x + "))";
            case "Softsign" -> "(" + x + " / (1.0f + fabs(" + x + ")))";
            case "ThresholdedRelu" -> "(" + x + " > " + Index.literal(attr(node, "alpha", 1f)) + " ? " + x + " : 0.0f)";
            default -> throw new IllegalArgumentException("no scalar expression for " + op);
        };
    }

    private static String clip(Node node, List<String> args) {
        String x = args.getFirst();
        String lo = args.size() > 1 ? args.get(1) : null;
        String hi = args.size() > 2 ? args.get(2) : null;
        if (node.hasAttribute("min")) lo = Index.literal(node.attribute("min").asFloat()); // opset < 11 keeps bounds as attributes
        if (node.hasAttribute("max")) hi = Index.literal(node.attribute("max").asFloat());
        String e = x;
        if (lo != null) e = "fmax(" + e + ", " + lo + ")";
        if (hi != null) e = "fmin(" + e + ", " + hi + ")";
        return e;
    }

    private static String celu(String x, float alpha) {
        String a = Index.literal(alpha);
        return "(fmax(0.0f, " + x + ") + fmin(0.0f, " + a + " * (exp(" + x + " / " + a + ") - 1.0f)))";
    }

    private static String gelu(String x, String approximate) {
        if (approximate.equals("tanh")) {
            return "(0.5f * " + x + " * (1.0f + tanh(0.7978845608f * (" + x + " + 0.044715f * " + x + " * " + x + " * " + x + "))))";
        }
        return "(0.5f * " + x + " * (1.0f + erf(" + x + " * 0.70710678118f)))";
    }

    private static String leakyRelu(String x, float alpha) {
        return "(" + x + " < 0.0f ? " + Index.literal(alpha) + " * " + x + " : " + x + ")";
    }

    private static String hardSigmoid(String x, float alpha, float beta) {
        return "fmax(0.0f, fmin(1.0f, " + Index.literal(alpha) + " * " + x + " + " + Index.literal(beta) + "))";
    }

    private static String join(List<String> args, String op) { return "(" + String.join(op, args) + ")"; }

    private static String fold(List<String> args, String fn) {
        String e = args.getFirst();
        for (int i = 1; i < args.size(); i++) e = fn + "(" + e + ", " + args.get(i) + ")";
        return e;
    }

    private static float attr(Node node, String name, float fallback) {
        Attribute a = node == null ? null : node.attribute(name);
        return a == null ? fallback : a.asFloat();
    }

    private static String stringAttr(Node node, String name, String fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asString();
    }
}
