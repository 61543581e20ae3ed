package dev.kiln.interpreter.kernels;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * What a {@link GradientRule} sees of one node: its attributes, the input and output tensors recorded by the forward
 * run, the gradients arriving at its outputs, and which inputs need a gradient.
 *
 * @param inputs      the forward input tensors, null for absent optional inputs
 * @param outputs     the forward output tensors, null for absent outputs
 * @param outputGrads gradients of the outputs; null where no gradient arrives
 * @param wanted      per input: whether its gradient is needed (it depends on xs and is floating point)
 */
record GradientStep(Node node, int opset, List<Tensor> inputs, List<Tensor> outputs, GradientArray[] outputGrads,
                    boolean[] wanted) {
    boolean wants(int input) { return input < wanted.length && wanted[input]; }

    boolean hasInput(int i) { return i < inputs.size() && inputs.get(i) != null; }

    Tensor inputTensor(int i) { return inputs.get(i); }

    GradientArray input(int i) { return GradientArray.of(inputs.get(i)); }

    GradientArray output(int i) { return GradientArray.of(outputs.get(i)); }

    long[] inputShape(int i) { return inputs.get(i).shape(); }

    /** The gradient arriving at output {@code i}; zeros when none does. */
    GradientArray grad(int i) {
        GradientArray g = outputGrads[i];
        return g != null ? g : GradientArray.filled(outputs.get(i).shape(), 0);
    }

    long intAttr(String name, long fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    float floatAttr(String name, float fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asFloat();
    }

    /** The ints attribute, or null when not set. */
    long[] intsAttr(String name) {
        Attribute a = node.attribute(name);
        return a == null ? null : a.asInts();
    }
}
