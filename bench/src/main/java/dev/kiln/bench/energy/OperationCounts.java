package dev.kiln.bench.energy;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;

import java.util.Set;

/**
 * Arithmetic operations one node performs, a multiply-add counting 2 (the convention of FLOP counts). The formulas
 * are those of docs/energy-model.md ("Operation counts"); the rule for an op not listed is one operation per output
 * element. Channels-last ({@code kiln:Nhwc*}) and blocked ({@code kiln:Nchwc*}) twins count as their standard op.
 */
final class OperationCounts {
    /** Ops that only relabel a buffer's shape: no arithmetic, and (see {@link GraphCost}) no traffic. */
    static final Set<String> VIEWS = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Shape", "Size");
    /** Operations per element of Softmax-like ops: max, subtract, exp, sum, divide (LogSoftmax: log for divide). */
    static final int SOFTMAX_PER_ELEMENT = 5;
    /** Per element: mean (1), variance (subtract, square, sum: 3), normalize (subtract, multiply: 2), scale and bias (2). */
    static final int NORMALIZATION_PER_ELEMENT = 8;
    /** Inference batch normalization folds to a per-channel scale and shift. */
    static final int BATCH_NORM_PER_ELEMENT = 2;
    /** Exact Gelu: x * 0.5 * (1 + erf(x / sqrt 2)), five operations. */
    static final int GELU_PER_ELEMENT = 5;

    private OperationCounts() {}

    /** The op a node computes, with the kiln domain's fusion and layout wrappers taken off. */
    static String baseOp(Node node) {
        String op = node.op();
        if (!node.domain().equals("kiln")) return op;
        if (op.startsWith("Nhwc")) return op.substring(4);
        if (op.startsWith("Nchwc")) return op.substring(5);
        if (op.startsWith("Fused") && !op.equals("FusedElementwise")) return op.substring(5);
        return op;
    }

    static long operations(Node node, TensorShapes shapes) {
        if (node.outputs().isEmpty() || node.output(0).isAbsent()) return 0;
        String op = baseOp(node);
        if (VIEWS.contains(op)) return 0;
        long out = shapes.elements(node, node.output(0));
        return switch (op) {
            case "Conv", "ConvInteger" -> conv(node, shapes, 1, 2, out);
            case "QLinearConv" -> conv(node, shapes, 3, 8, out);
            case "ConvTranspose" -> convTranspose(node, shapes, out);
            case "Gemm" -> gemm(node, shapes, out);
            case "MatMul", "MatMulInteger", "QLinearMatMul" -> 2 * out * innerDim(shapes.shape(node, node.input(0)));
            case "Attention" -> node.domain().equals("kiln") ? attention(node, shapes, out) : out;
            case "MaxPool", "AveragePool", "LpPool" -> out * product(node.attribute("kernel_shape").asInts());
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "ArgMax", "ArgMin" -> shapes.elements(node, node.input(0));
            case "Softmax", "LogSoftmax" -> SOFTMAX_PER_ELEMENT * out;
            case "BatchNormalization" -> BATCH_NORM_PER_ELEMENT * out;
            case "LayerNormalization", "InstanceNormalization", "GroupNormalization", "MeanVarianceNormalization",
                 "RMSNormalization", "SimplifiedLayerNormalization" -> NORMALIZATION_PER_ELEMENT * out;
            case "LSTM" -> recurrent(node, shapes, 4, 16);
            case "GRU" -> recurrent(node, shapes, 3, 12);
            case "RNN" -> recurrent(node, shapes, 1, 3);
            case "Resize", "Upsample" -> resize(node, shapes, out);
            case "FusedElementwise" -> out * bodyOperations(node);
            default -> op.startsWith("Reduce") ? shapes.elements(node, node.input(0)) : out * elementwise(op);
        };
    }

    /** Operations per element of one elementwise op (a fused body's node, a standalone op). */
    static int elementwise(String op) {
        return switch (op) {
            case "Gelu" -> GELU_PER_ELEMENT;
            default -> 1;
        };
    }

    /** 2 MACs per output element per weight of one output channel (W: [M, C/group, k...]), plus bias and epilogue. */
    private static long conv(Node node, TensorShapes shapes, int weightInput, int biasInput, long out) {
        long[] w = shapes.shape(node, node.input(weightInput));
        long macsPerOutput = product(w) / w[0];
        return 2 * out * macsPerOutput + (node.input(biasInput).isAbsent() ? 0 : out) + epilogue(node, out);
    }

    /** Every input element is scattered through M/group × k... weights (W: [C, M/group, k...]). */
    private static long convTranspose(Node node, TensorShapes shapes, long out) {
        long[] w = shapes.shape(node, node.input(1));
        long macs = shapes.elements(node, node.input(0)) * (product(w) / w[0]);
        return 2 * macs + (node.input(2).isAbsent() ? 0 : out) + epilogue(node, out);
    }

    /** Y = alpha·A·B + beta·C: 2·M·N·K, plus one add per output element for C (the alpha/beta scalings are not counted). */
    private static long gemm(Node node, TensorShapes shapes, long out) {
        long[] a = shapes.shape(node, node.input(0));
        boolean transA = node.hasAttribute("transA") && node.attribute("transA").asInt() != 0;
        long k = transA ? a[0] : a[1];
        return 2 * out * k + (node.input(2).isAbsent() ? 0 : out) + epilogue(node, out);
    }

    /** The reduced dimension of a MatMul's left operand: its last dim. */
    private static long innerDim(long[] a) { return a[a.length - 1]; }

    /**
     * kiln:Attention(Q [..., Sq, D], Kt [..., D, Sk], V [..., Sk, Dv], Mask?): scores 2·Sq·Sk·D, scaling Sq·Sk, mask
     * Sq·Sk, softmax 5·Sq·Sk, weighted sum 2·Sq·Sk·Dv, per batch element (out / (Sq·Dv) of them).
     */
    private static long attention(Node node, TensorShapes shapes, long out) {
        long[] q = shapes.shape(node, node.input(0));
        long[] kt = shapes.shape(node, node.input(1));
        long sq = q[q.length - 2], d = q[q.length - 1], sk = kt[kt.length - 1];
        long[] y = shapes.shape(node, node.output(0));
        long dv = y[y.length - 1];
        long batch = out / (sq * dv);
        long scores = sq * sk;
        long mask = node.input(3).isAbsent() ? 0 : scores;
        return batch * (2 * scores * d + scores + mask + SOFTMAX_PER_ELEMENT * scores + 2 * scores * dv);
    }

    /**
     * LSTM/GRU/RNN: per time step, batch row and direction, the input and recurrent projections (gates·H·(I+H)
     * MACs, read off W [dirs, gates·H, I] and R [dirs, gates·H, H]) plus {@code perUnit} elementwise operations per
     * hidden unit (biases, gate activations, cell update). X holds steps × batch rows of I features in either layout.
     */
    private static long recurrent(Node node, TensorShapes shapes, int gates, int perUnit) {
        long[] w = shapes.shape(node, node.input(1));
        long[] r = shapes.shape(node, node.input(2));
        long directions = w[0], input = w[2], hidden = r[2];
        long stepsTimesBatch = shapes.elements(node, node.input(0)) / input;
        long macs = gates * hidden * (input + hidden);
        return directions * stepsTimesBatch * (2 * macs + perUnit * hidden);
    }

    /**
     * Resize: nearest reads one neighbour per output element (1 operation); linear and cubic take a weighted sum of 2
     * or 4 neighbours along each resized axis (2 operations per neighbour).
     */
    private static long resize(Node node, TensorShapes shapes, long out) {
        String mode = node.hasAttribute("mode") ? node.attribute("mode").asString() : "nearest";
        if (mode.equals("nearest")) return out;
        long[] in = shapes.shape(node, node.input(0));
        long[] y = shapes.shape(node, node.output(0));
        int resized = 0;
        for (int i = 0; i < in.length; i++) if (in[i] != y[i]) resized++;
        long neighbours = Math.round(Math.pow(mode.equals("cubic") ? 4 : 2, resized));
        return out * 2 * neighbours;
    }

    /** A fused body's operations per output element: each body node counts as its standalone op does. */
    private static long bodyOperations(Node node) {
        return node.attribute("body").asGraph().nodes().stream().mapToLong(n -> elementwise(n.op())).sum();
    }

    /** Operations per output element of a fused op's epilogue: the residual add and the activation. */
    private static long epilogue(Node node, long out) {
        long residual = node.hasAttribute("residual") && !node.attribute("residual").asString().equals("none") ? 1 : 0;
        Attribute activation = node.attribute("activation");
        long act = activation == null ? 0 : switch (activation.asString()) {
            case "" -> 0;
            case "Silu" -> 2;
            case "Gelu" -> GELU_PER_ELEMENT;
            default -> 1;
        };
        return out * (residual + act);
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p *= d;
        return p;
    }
}
