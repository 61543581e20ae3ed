package dev.kiln.passes.patterns;

import dev.kiln.ir.Node;
import dev.kiln.ir.ops.kiln.KilnOps;

import java.util.Set;

/**
 * The ops {@code fuse-elementwise} may put in a fused body (one output element per broadcast input element): default-domain
 * elementwise ops and {@code kiln:Gelu}, which recognize-patterns leaves in graphs older than opset 20.
 */
public final class ElementwiseOps {
    private static final Set<String> OPS = Set.of(
            "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Erf",
            "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Tanh",
            "Sigmoid", "Relu", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "Softplus", "Softsign",
            "Mish", "Gelu", "ThresholdedRelu", "PRelu", "Not", "IsNaN", "IsInf",
            "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where",
            "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Cast");

    private ElementwiseOps() {}

    /**
     * True for a listed elementwise op with one output and numpy broadcasting (the pre-opset-7
     * {@code broadcast}/{@code axis} attributes have their own alignment rules, so such nodes stay out).
     */
    public static boolean isFusable(Node n) {
        boolean known = n.domain().isEmpty() ? OPS.contains(n.op()) : n.domain().equals(KilnOps.DOMAIN) && n.op().equals("Gelu");
        return known && n.outputs().size() == 1 && !n.hasAttribute("broadcast")
                && !n.hasAttribute("axis") && n.inputs().stream().noneMatch(v -> v.isAbsent());
    }
}
