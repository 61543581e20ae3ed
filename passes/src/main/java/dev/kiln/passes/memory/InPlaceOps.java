package dev.kiln.passes.memory;

import dev.kiln.ir.Node;

import java.util.Set;

/**
 * Ops that may write their output over an input of the same shape and dtype: each output element depends only on
 * the input elements at the same position (other inputs broadcast), so it is computed from inputs already read.
 */
final class InPlaceOps {
    private static final Set<String> ELEMENTWISE = Set.of(
            "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Erf", "Exp", "Floor",
            "IsInf", "IsNaN", "Log", "Neg", "Not", "Reciprocal", "Round", "Sign", "Sin", "Sinh", "Sqrt", "Tan", "Tanh",
            "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Gelu",
            "Mish", "Softplus", "Softsign", "ThresholdedRelu", "Clip", "Shrink",
            "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "And", "Or", "Xor", "BitShift",
            "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "Where", "BatchNormalization");

    private InPlaceOps() {}

    static boolean canRunInPlace(Node node) {
        return node.domain().isEmpty() && node.outputs().size() == 1 && ELEMENTWISE.contains(node.op());
    }
}
