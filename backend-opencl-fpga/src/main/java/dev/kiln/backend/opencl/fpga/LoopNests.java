package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.fpga.LoopNest.MacShape;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.Arrays;
import java.util.Set;

/**
 * Reads each node's loop nest off its static shapes, mirroring what the renderers in
 * {@code dev.kiln.backend.opencl.render} emit: convolutions unroll the input channels of a group, GEMM and MatMul
 * the reduction, pools the kernel's last dim, elementwise and layout kernels the output's last dim, softmax the
 * reduced axis. Views (Reshape, Flatten, ...) build no hardware and have no nest.
 */
final class LoopNests {
    private static final Set<String> VIEWS = Set.of("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Dropout");

    private LoopNests() {}

    /**
     * The nest of {@code node}, or null for a view; {@code constants} names the values known before the run (the
     * weights). Fails naming the node when a shape is not static.
     */
    static LoopNest of(Node node, Set<String> constants) {
        if (node.domain().isEmpty() && VIEWS.contains(node.op())) return null;
        long[] y = shape(node, node.output(0));
        long out = product(y);
        long weights = 0;
        long streamed = 0;
        for (Value v : node.inputs()) {
            if (v.isAbsent() || !(v.type() instanceof TensorType)) continue;
            long n = product(shape(node, v));
            if (constants.contains(v.name())) weights += n;
            else streamed += n;
        }
        String op = node.op();
        return switch (op) {
            case "Conv", "FusedConv" -> conv(node, y, weights, streamed, out);
            case "Gemm", "FusedGemm" -> gemm(node, weights, streamed, out);
            case "MatMul" -> matMul(node, weights, streamed, out);
            case "MaxPool", "AveragePool", "LpPool" -> pool(node, y, weights, streamed, out, kernelOf(node));
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                long[] x = shape(node, node.input(0));
                long[] window = Arrays.copyOfRange(x, 2, x.length);
                yield pool(node, y, weights, streamed, out, window);
            }
            case "LRN" -> {
                long size = node.attribute("size") == null ? 1 : node.attribute("size").asInt();
                yield new LoopNest(node.name(), op, out, size, 2, weights, streamed, out, 0, null);
            }
            case "Softmax", "LogSoftmax" -> {
                long[] x = shape(node, node.input(0));
                int axis = (int) intAttr(node, "axis", -1);
                long length = x.length == 0 ? 1 : x[axis < 0 ? axis + x.length : axis];
                // three passes over the axis (max, sum of exponentials, normalise), a divide and an add per element
                yield new LoopNest(node.name(), op, 3 * (out / Math.max(length, 1)), length, 2, weights, streamed, out, 0, null);
            }
            case "FusedElementwise" -> elementwise(node, y, weights, streamed, out, bodyArithmetic(node.attribute("body").asGraph()));
            default -> elementwise(node, y, weights, streamed, out, arithmeticOf(op));
        };
    }

    private static LoopNest conv(Node node, long[] y, long weights, long streamed, long out) {
        long[] x = shape(node, node.input(0));
        long[] w = shape(node, node.input(1));
        long groups = intAttr(node, "group", 1);
        long taps = product(Arrays.copyOfRange(w, 2, w.length));
        long positions = product(Arrays.copyOfRange(y, 2, y.length));
        MacShape mac = new MacShape(y[0], positions, groups, w[0] / groups, w[1], taps);
        long rows = w.length > 2 ? w[2] : 1;
        long rowElements = x.length > 3 ? product(Arrays.copyOfRange(x, 3, x.length)) : 1;
        long lineBuffer = rows * rowElements * x[1];
        return new LoopNest(node.name(), node.op(), out * taps, w[1], 1, weights, streamed, out, lineBuffer, mac);
    }

    private static LoopNest gemm(Node node, long weights, long streamed, long out) {
        long[] a = shape(node, node.input(0));
        boolean transA = intAttr(node, "transA", 0) != 0;
        long rows = transA ? a[1] : a[0];
        long k = transA ? a[0] : a[1];
        long n = out / rows;
        return new LoopNest(node.name(), node.op(), out, k, 1, weights, streamed, out, 0, new MacShape(1, rows, 1, n, k, 1));
    }

    private static LoopNest matMul(Node node, long weights, long streamed, long out) {
        long[] a = shape(node, node.input(0));
        long k = a.length == 0 ? 1 : a[a.length - 1];
        long[] b = shape(node, node.input(1));
        long n = b.length < 2 ? 1 : b[b.length - 1];
        long rows = out / n;
        return new LoopNest(node.name(), node.op(), out, k, 1, weights, streamed, out, 0, new MacShape(1, rows, 1, n, k, 1));
    }

    private static LoopNest pool(Node node, long[] y, long weights, long streamed, long out, long[] window) {
        long last = window.length == 0 ? 1 : window[window.length - 1];
        long rest = product(window) / Math.max(last, 1);
        long[] x = shape(node, node.input(0));
        long rowElements = x.length > 3 ? product(Arrays.copyOfRange(x, 3, x.length)) : 1;
        long lineBuffer = (window.length > 1 ? window[0] : 1) * rowElements * (x.length > 1 ? x[1] : 1);
        double arithmetic = node.op().startsWith("Max") || node.op().equals("GlobalMaxPool") ? 0 : 1;
        return new LoopNest(node.name(), node.op(), out * rest, last, arithmetic, weights, streamed, out, lineBuffer, null);
    }

    private static LoopNest elementwise(Node node, long[] y, long weights, long streamed, long out, double arithmetic) {
        long last = y.length == 0 ? 1 : y[y.length - 1];
        return new LoopNest(node.name(), node.op(), out / Math.max(last, 1), last, arithmetic, weights, streamed, out, 0, null);
    }

    /** DSP-mapped operations per element of a standard op: comparisons, selects and copies are logic. */
    private static double arithmeticOf(String op) {
        return switch (op) {
            case "Relu", "Max", "Min", "Clip", "Concat", "Transpose", "Pad", "Abs", "Neg", "Where", "Greater", "Less",
                 "Equal", "Not", "And", "Or", "Cast", "Slice", "Gather", "Expand", "Tile" -> 0;
            case "BatchNormalization", "LeakyRelu", "PRelu", "HardSigmoid" -> 1;
            case "Sigmoid", "Tanh", "Exp", "Log", "Erf", "Gelu", "Softplus", "Sqrt", "Div", "Reciprocal", "Pow" -> 4;
            default -> 1;
        };
    }

    private static double bodyArithmetic(Graph body) {
        double sum = 0;
        for (Node n : body.nodes()) sum += arithmeticOf(n.op());
        return sum;
    }

    private static long[] kernelOf(Node node) {
        Attribute k = node.attribute("kernel_shape");
        if (k == null) throw new IllegalArgumentException(node.describe() + ": no kernel_shape for the FPGA estimate");
        return k.asInts();
    }

    private static long intAttr(Node node, String name, long fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    private static long[] shape(Node node, Value v) {
        if (!(v.type() instanceof TensorType t) || !t.shape().isStatic()) {
            throw new IllegalArgumentException(node.describe() + ": " + v.name() + " has no static shape (" + v.type()
                    + "); bind the inputs' shapes before estimating");
        }
        return t.shape().toArray();
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }
}
