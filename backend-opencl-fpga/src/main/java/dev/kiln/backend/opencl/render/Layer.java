package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node to render, with everything its kernel bakes in: the static shapes of its inputs and output, the
 * graph's constants (weights, pads), the default-domain opset, and the kernel's name. Kernels take sizes as
 * literals rather than arguments because an FPGA compiler can only pipeline and size loops it can count.
 */
public final class Layer {
    private final Node node;
    private final Map<String, Tensor> constants;
    private final int opset;
    private final String kernelName;
    private final List<String> params = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    public Layer(Node node, Map<String, Tensor> constants, int opset, String kernelName) {
        this.node = node;
        this.constants = constants;
        this.opset = opset;
        this.kernelName = kernelName;
    }

    public Node node() { return node; }

    int opset() { return opset; }

    boolean hasInput(int i) { return !node.input(i).isAbsent(); }

    long[] in(int i) { return shape(node.input(i)); }

    long[] out() { return shape(node.output(0)); }

    /** The constant tensor feeding input {@code i}, or null when it is computed or fed at run time. */
    Tensor constant(int i) { return hasInput(i) ? constants.get(node.input(i).name()) : null; }

    long intAttr(String name, long fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    float floatAttr(String name, float fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asFloat();
    }

    String stringAttr(String name, String fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asString();
    }

    /** Declares input {@code i} as the read-only buffer parameter {@code param}. */
    void input(int i, String param) {
        params.add("__global const float* restrict " + param);
        args.add(node.input(i).name());
    }

    /** Declares the output buffer parameter {@code param} (last). */
    void output(String param) {
        params.add("__global float* restrict " + param);
        args.add(node.output(0).name());
    }

    /** Opens the kernel: a comment naming the node and its shapes, then the signature over the declared buffers. */
    CWriter begin() {
        CWriter c = new CWriter();
        StringBuilder shapes = new StringBuilder();
        for (Value v : node.inputs()) {
            if (v.isAbsent()) continue;
            if (!shapes.isEmpty()) shapes.append(", ");
            shapes.append(Shape.format(shape(v)));
        }
        c.line("/* " + node.describe() + ": " + shapes + " -> " + Shape.format(out()) + " */");
        c.open("__kernel void " + kernelName + "(" + String.join(", ", params) + ")");
        return c;
    }

    KernelSource finish(CWriter c, String description) {
        c.close();
        return new KernelSource(kernelName, c.toString(), args, description);
    }

    private static long[] shape(Value v) { return v.tensorType().shape().toArray(); }
}
