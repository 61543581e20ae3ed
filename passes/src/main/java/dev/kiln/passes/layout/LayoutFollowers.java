package dev.kiln.passes.layout;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.Set;

/**
 * Ops that run unchanged on channels-last data: elementwise ops, whose 4-D operands broadcast dim by dim, so
 * permuting every 4-D operand the same way permutes the result. Operands with one element broadcast the same in
 * either layout. In the blocked layout, only ops mapping zeros to zeros follow, so the padding channels stay zero.
 */
final class LayoutFollowers {
    private static final Set<String> OPS = Set.of(
            "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Selu", "Celu", "Gelu", "Mish",
            "Softplus", "Softsign", "Clip", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Identity",
            "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean");

    private static final Set<String> ZERO_KEEPING = Set.of(
            "Relu", "LeakyRelu", "Tanh", "Abs", "Neg", "Identity", "Add", "Sub", "Mul", "Max", "Min", "Sum", "Clip");

    private LayoutFollowers() {}

    static boolean follows(Node node) {
        return node.domain().isEmpty() && node.outputs().size() == 1 && OPS.contains(node.op());
    }

    /** True when {@code node} follows and maps zero operands to zero (a Clip only if its constant range holds 0). */
    static boolean keepsZeros(Node node, Graph graph) {
        if (!follows(node) || !ZERO_KEEPING.contains(node.op())) return false;
        if (!node.op().equals("Clip")) return true;
        return clipBound(node, graph, 1, "min", Double.NEGATIVE_INFINITY) <= 0
                && clipBound(node, graph, 2, "max", Double.POSITIVE_INFINITY) >= 0;
    }

    /** True when a single-element operand keeps zeros too: a Mul's factor, a Clip's bounds. */
    static boolean scalarKeepsZeros(Node node) {
        return node.op().equals("Mul") || node.op().equals("Clip");
    }

    /** Clip's bound from constant input {@code index} (opset 11+) or attribute {@code attr}; NaN when unknown. */
    private static double clipBound(Node node, Graph graph, int index, String attr, double absent) {
        if (node.hasAttribute(attr)) return node.attributes().get(attr).asFloat();
        if (index >= node.inputs().size() || node.input(index).isAbsent()) return absent;
        Tensor bound = graph.constants().get(node.input(index).name());
        return bound != null && bound.size() == 1 ? bound.getDouble(0) : Double.NaN;
    }
}
