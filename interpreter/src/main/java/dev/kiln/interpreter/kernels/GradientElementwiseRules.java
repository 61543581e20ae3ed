package dev.kiln.interpreter.kernels;

import java.util.Map;

import static dev.kiln.interpreter.kernels.GradientArray.zip;

/**
 * Derivative rules of elementwise ops. Binary ops broadcast their inputs, so each input's gradient is computed at
 * the output's shape and then summed back down to the input's shape.
 */
final class GradientElementwiseRules {
    private GradientElementwiseRules() {}

    static Map<String, GradientRule> rules() {
        return Map.ofEntries(
                Map.entry("Add", binary((g, a, b) -> g, (g, a, b) -> g)),
                Map.entry("Sub", binary((g, a, b) -> g, (g, a, b) -> -g)),
                Map.entry("Mul", binary((g, a, b) -> g * b, (g, a, b) -> g * a)),
                Map.entry("Div", binary((g, a, b) -> g / b, (g, a, b) -> -g * a / (b * b))),
                // d(a^b)/da = b·a^(b-1) and d(a^b)/db = a^b·ln(a); both are 0 where the power is constant (b = 0, a = 0)
                Map.entry("Pow", binary((g, a, b) -> b == 0 ? 0 : g * b * Math.pow(a, b - 1),
                        (g, a, b) -> a == 0 ? 0 : g * Math.pow(a, b) * Math.log(a))),
                Map.entry("Neg", unary((g, x, y) -> -g)),
                Map.entry("Abs", unary((g, x, y) -> g * Math.signum(x))),
                Map.entry("Relu", unary((g, x, y) -> x > 0 ? g : 0)),
                Map.entry("Sigmoid", unary((g, x, y) -> g * y * (1 - y))),
                Map.entry("Tanh", unary((g, x, y) -> g * (1 - y * y))),
                Map.entry("Exp", unary((g, x, y) -> g * y)),
                Map.entry("Log", unary((g, x, y) -> g / x)),
                Map.entry("Sqrt", unary((g, x, y) -> g / (2 * y))),
                Map.entry("Reciprocal", unary((g, x, y) -> -g * y * y)));
    }

    /** A rule for a one-input op from the input gradient as a function of (output gradient, input, output). */
    private static GradientRule unary(GradientArray.Ternary dx) {
        return step -> new GradientArray[] {zip(step.grad(0), step.input(0), step.output(0), dx)};
    }

    /** A rule for a broadcasting two-input op from each input's gradient as a function of (output gradient, a, b). */
    private static GradientRule binary(GradientArray.Ternary da, GradientArray.Ternary db) {
        return step -> {
            GradientArray g = step.grad(0);
            long[] shape = g.shape();
            GradientArray a = step.input(0).broadcastTo(shape), b = step.input(1).broadcastTo(shape);
            return new GradientArray[] {
                    step.wants(0) ? zip(g, a, b, da).sumTo(step.inputShape(0)) : null,
                    step.wants(1) ? zip(g, a, b, db).sumTo(step.inputShape(1)) : null};
        };
    }
}
