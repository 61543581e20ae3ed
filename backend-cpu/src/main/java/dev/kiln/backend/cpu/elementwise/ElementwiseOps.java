package dev.kiln.backend.cpu.elementwise;

import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.kiln.backend.cpu.plan.NodeAttributes.floatAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * The elementwise ops the generator knows, each as a vector expression and its scalar twin over argument names.
 * Transcendentals use the Vector API's lanewise operators (intrinsified with SVML on x86; within 1 ulp of
 * {@link Math}) and {@link Math} in the tail; ONNX's float32 tolerances (rtol 1e-3) leave ample room. Erf and exact
 * Gelu call the backend's vector math library and its scalar twin.
 */
final class ElementwiseOps {
    /** One op: the values it reads and how to write it over their names. */
    record Expression(List<Value> arguments, Function<String[], String> vector, Function<String[], String> scalar) {
        String vector(String[] a) { return vector.apply(a); }

        String scalar(String[] a) { return scalar.apply(a); }
    }

    /** Where the generated code finds the vector math library (Erf, Gelu): the model's own copy, by name. */
    private static final String MATH = "dev.kiln.backend.cpu.math.";

    private ElementwiseOps() {}

    /** The expression for {@code n}, or null when the generator does not handle it. */
    static Expression of(Node n, Map<String, Tensor> constants) {
        List<Value> in = n.inputs();
        if (n.domain().equals("kiln") && n.op().equals("Gelu")) return gelu(n, in);
        if (!n.domain().isEmpty()) return null;
        return switch (n.op()) {
            case "Add" -> binary(in, "%s.add(%s)", "%s + %s");
            case "Sub" -> binary(in, "%s.sub(%s)", "%s - %s");
            case "Mul" -> binary(in, "%s.mul(%s)", "%s * %s");
            case "Div" -> binary(in, "%s.div(%s)", "%s / %s");
            case "Max" -> in.size() == 2 ? binary(in, "%s.max(%s)", "Math.max(%s, %s)") : null;
            case "Min" -> in.size() == 2 ? binary(in, "%s.min(%s)", "Math.min(%s, %s)") : null;
            case "Neg" -> unary(in, "%s.neg()", "-%s");
            case "Abs" -> unary(in, "%s.abs()", "Math.abs(%s)");
            case "Relu" -> unary(in, "%s.max(0f)", "Math.max(%s, 0f)");
            case "Sqrt" -> unary(in, "%s.sqrt()", "(float) Math.sqrt(%s)");
            case "Reciprocal" -> unary(in, "ONE.div(%s)", "1f / %s");
            case "Exp" -> unary(in, "%s.lanewise(VectorOperators.EXP)", "(float) Math.exp(%s)");
            case "Log" -> unary(in, "%s.lanewise(VectorOperators.LOG)", "(float) Math.log(%s)");
            case "Tanh" -> unary(in, "%s.lanewise(VectorOperators.TANH)", "(float) Math.tanh(%s)");
            case "Sigmoid" -> unary(in, "ONE.div(%s.neg().lanewise(VectorOperators.EXP).add(1f))", "1f / (1f + (float) Math.exp(-%s))");
            case "LeakyRelu" -> {
                String alpha = ElementwiseSource.literal(floatAttr(n, "alpha", 0.01f));
                yield unary(in, "%1$s.lanewise(VectorOperators.MUL, " + alpha + ", %1$s.lt(0f))", "(%1$s < 0f ? %1$s * " + alpha + " : %1$s)");
            }
            case "HardSigmoid" -> {
                String alpha = ElementwiseSource.literal(floatAttr(n, "alpha", 0.2f));
                String beta = ElementwiseSource.literal(floatAttr(n, "beta", 0.5f));
                yield unary(in, "%s.mul(" + alpha + ").add(" + beta + ").max(0f).min(1f)",
                        "Math.min(Math.max(%s * " + alpha + " + " + beta + ", 0f), 1f)");
            }
            case "Clip" -> clip(n, constants);
            case "Erf" -> unary(in, MATH + "VectorMath.erf(%s)", MATH + "ScalarMath.erf(%s)");
            case "Gelu" -> gelu(n, in);
            default -> null;
        };
    }

    /** Exact Gelu through the vector math library (its scalar twin is bit-identical); the tanh form is not generated. */
    private static Expression gelu(Node n, List<Value> in) {
        if (!"none".equals(stringAttr(n, "approximate", "none"))) return null;
        return unary(in, MATH + "VectorMath.gelu(%s)", MATH + "ScalarMath.gelu(%s)");
    }

    private static Expression unary(List<Value> in, String vector, String scalar) {
        if (in.size() != 1) return null;
        return new Expression(in, a -> String.format(vector, a[0]), a -> String.format(scalar, a[0]));
    }

    private static Expression binary(List<Value> in, String vector, String scalar) {
        if (in.size() != 2 || in.get(0).isAbsent() || in.get(1).isAbsent()) return null;
        return new Expression(in, a -> String.format(vector, a[0], a[1]), a -> String.format(scalar, a[0], a[1]));
    }

    /** Clip with constant (or absent) bounds: a max then a min, NaN passing through as ONNX's reference does. */
    private static Expression clip(Node n, Map<String, Tensor> constants) {
        List<Value> in = n.inputs();
        if (in.isEmpty() || in.size() > 3) return null;
        Float lo = bound(in, 1, constants);
        Float hi = bound(in, 2, constants);
        if (lo == null || hi == null) return null;
        String l = ElementwiseSource.literal(lo);
        String h = ElementwiseSource.literal(hi);
        return new Expression(List.of(in.getFirst()), a -> a[0] + ".max(" + l + ").min(" + h + ")",
                a -> "Math.min(Math.max(" + a[0] + ", " + l + "), " + h + ")");
    }

    private static Float bound(List<Value> in, int i, Map<String, Tensor> constants) {
        if (i >= in.size() || in.get(i).isAbsent()) return i == 1 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        Tensor t = constants.get(in.get(i).name());
        return t == null || t.size() != 1 ? null : (float) t.getDouble(0);
    }
}
