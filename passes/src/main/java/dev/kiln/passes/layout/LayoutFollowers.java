package dev.kiln.passes.layout;

import dev.kiln.ir.Node;

import java.util.Set;

/**
 * Ops that run unchanged on channels-last data: elementwise ops, whose 4-D operands broadcast dim by dim, so
 * permuting every 4-D operand the same way permutes the result. Operands with one element broadcast the same in
 * either layout.
 */
final class LayoutFollowers {
    private static final Set<String> OPS = Set.of(
            "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Selu", "Celu", "Gelu", "Mish",
            "Softplus", "Softsign", "Clip", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Identity",
            "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean");

    private LayoutFollowers() {}

    static boolean follows(Node node) {
        return node.domain().isEmpty() && node.outputs().size() == 1 && OPS.contains(node.op());
    }
}
