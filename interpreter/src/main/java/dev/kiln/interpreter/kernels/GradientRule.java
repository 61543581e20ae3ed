package dev.kiln.interpreter.kernels;

/**
 * The derivative rule of one op for the Gradient op's back-propagation: given a node's recorded inputs and outputs
 * and the gradients arriving at its outputs, the gradients of the inputs, each with that input's shape (broadcast
 * inputs summed back down). Rules live in {@link GradientRules}.
 */
@FunctionalInterface
interface GradientRule {
    /**
     * One entry per node input: its gradient, or null where it has none (integer inputs such as shapes or axes) or
     * where {@link GradientStep#wants} says it is not needed.
     */
    GradientArray[] backward(GradientStep step);
}
