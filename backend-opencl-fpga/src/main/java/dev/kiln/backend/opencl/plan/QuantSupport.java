package dev.kiln.backend.opencl.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Value;

import java.util.List;
import java.util.Set;

/**
 * Which element types each op's operands may have on the OpenCL backend, and the quantized ops' variants its
 * kernels render: 8-bit operands with float32 scales, per tensor or per axis (per output channel for weights).
 * Everything else — float16 or bfloat16 scales, int4, int16 and float8 types, blocked quantization, per-row or
 * per-column matmul quantization — is refused by name.
 */
final class QuantSupport {
    private static final Set<DType> FLOAT = Set.of(DType.F32);
    private static final Set<DType> INT8 = Set.of(DType.I8, DType.U8);
    private static final Set<DType> INT32 = Set.of(DType.I32);
    private static final Set<DType> DATA = Set.of(DType.F32, DType.I8, DType.U8);
    private static final Set<DType> VIEWED = Set.of(DType.F32, DType.I8, DType.U8, DType.I32);
    /**
     * What Cast converts to float32, and what a fused elementwise body may take when only its Casts read it (as after
     * MatMulInteger): the kernel converts each element as it loads it.
     */
    private static final Set<DType> CASTABLE = VIEWED;
    /** Ops that only move elements: any 8-bit or float32 buffer. */
    private static final Set<String> MOVERS = Set.of("MaxPool", "Concat", "Transpose");
    private static final Set<String> VIEWS = Set.of("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity");

    private QuantSupport() {}

    /** The element types input {@code i} of {@code node} may have. */
    static Set<DType> inputTypes(Node node, int i) {
        if (!node.domain().isEmpty()) return node.qualifiedOp().equals("kiln:FusedElementwise") ? CASTABLE : FLOAT;
        return switch (node.op()) {
            case "Cast" -> CASTABLE;
            case "QuantizeLinear" -> i == 2 ? INT8 : FLOAT;
            case "DequantizeLinear" -> i == 1 ? FLOAT : INT8;
            case "QLinearConv" -> i == 8 ? INT32 : i == 1 || i == 4 || i == 6 ? FLOAT : INT8;
            case "QLinearMatMul" -> i == 1 || i == 4 || i == 6 ? FLOAT : INT8;
            case "ConvInteger", "MatMulInteger" -> INT8;
            default -> MOVERS.contains(node.op()) ? DATA : VIEWS.contains(node.op()) ? VIEWED : FLOAT;
        };
    }

    /** The element types output {@code i} of {@code node} may have. */
    static Set<DType> outputTypes(Node node, int i) {
        if (!node.domain().isEmpty()) return FLOAT;
        return switch (node.op()) {
            case "QuantizeLinear", "QLinearConv", "QLinearMatMul" -> INT8;
            case "DequantizeLinear" -> FLOAT;
            case "DynamicQuantizeLinear" -> i == 1 ? FLOAT : Set.of(DType.U8);
            case "ConvInteger", "MatMulInteger" -> INT32;
            default -> MOVERS.contains(node.op()) ? DATA : VIEWS.contains(node.op()) ? VIEWED : FLOAT;
        };
    }

    /** How many outputs the kernel of {@code node} computes. */
    static int outputsComputed(Node node) {
        return node.domain().isEmpty() && node.op().equals("DynamicQuantizeLinear") ? 3 : 1;
    }

    /** Null when the kernels render this variant of a quantized op (operand types already checked); else why not. */
    static String problem(Node node) {
        return switch (node.op()) {
            case "QuantizeLinear", "DequantizeLinear" -> linearProblem(node);
            case "QLinearConv" -> firstProblem(spatial(node), perTensor(node, List.of(1, 2, 6, 7)), perChannel(node, List.of(4, 5, 8), 3));
            case "ConvInteger" -> firstProblem(spatial(node), perTensor(node, List.of(2)), perChannel(node, List.of(3), 1));
            case "QLinearMatMul" -> perTensor(node, List.of(1, 2, 4, 5, 6, 7));
            case "MatMulInteger" -> perTensor(node, List.of(2, 3));
            default -> null;
        };
    }

    private static String linearProblem(Node node) {
        Attribute block = node.attribute("block_size");
        if (block != null && block.asInt() != 0) return "blocked quantization (block_size " + block.asInt() + ") is not rendered";
        Attribute precision = node.attribute("precision");
        if (precision != null && precision.asInt() != 0 && precision.asInt() != DType.F32.onnxCode()) {
            return "precision " + DType.fromOnnxCode((int) precision.asInt()).shortName() + " is not rendered, only float32";
        }
        Attribute outputDtype = node.attribute("output_dtype");
        if (outputDtype != null && outputDtype.asInt() != 0 && outputDtype.asInt() != node.output(0).tensorType().dtype().onnxCode()) {
            return "output_dtype " + outputDtype.asInt() + " does not match the output's type";
        }
        long scales = elements(node.input(1));
        if (scales < 0) return "scale has no static shape";
        Value zp = node.inputs().size() > 2 ? node.input(2) : Value.ABSENT;
        if (!zp.isAbsent() && elements(zp) != scales) return "zero point and scale differ in size";
        if (scales == 1 && node.input(1).tensorType().shape().rank() <= 1) return null;
        Shape x = node.input(0).tensorType().shape();
        if (node.input(1).tensorType().shape().rank() != 1 || !x.isStatic()) return "scale must be per tensor or 1-D per axis";
        long axis = node.attribute("axis") == null ? 1 : node.attribute("axis").asInt();
        if (axis < 0) axis += x.rank();
        if (axis < 0 || axis >= x.rank()) return "axis " + axis + " is out of range for rank " + x.rank();
        return x.dim((int) axis).size() == scales ? null : "per-axis scale has " + scales + " values, axis " + axis + " has " + x.dim((int) axis).size();
    }

    private static String spatial(Node node) {
        return node.input(0).tensorType().shape().rank() < 3 ? "needs at least one spatial dim" : null;
    }

    /** Each present input among {@code inputs} must hold one value. */
    private static String perTensor(Node node, List<Integer> inputs) {
        for (int i : inputs) {
            if (i >= node.inputs().size() || node.input(i).isAbsent()) continue;
            long n = elements(node.input(i));
            if (n != 1) return "input " + i + " (" + node.input(i).name() + ") must be per tensor (one value), "
                    + (n < 0 ? "its shape is not static" : "has " + n + "; per-row/per-column quantization is not rendered");
        }
        return null;
    }

    /** Each present input among {@code inputs} must hold one value or one per output channel of the weights at {@code weights}. */
    private static String perChannel(Node node, List<Integer> inputs, int weights) {
        Shape w = node.input(weights).tensorType().shape();
        if (!w.isStatic()) return "weights have no static shape";
        long channels = w.dim(0).size();
        for (int i : inputs) {
            if (i >= node.inputs().size() || node.input(i).isAbsent()) continue;
            long n = elements(node.input(i));
            if (n != 1 && n != channels) return "input " + i + " (" + node.input(i).name() + ") must hold 1 or " + channels + " values, has " + n;
        }
        return null;
    }

    private static long elements(Value v) {
        Shape s = v.tensorType().shape();
        return s.isStatic() ? s.elementCount() : -1;
    }

    private static String firstProblem(String... problems) {
        for (String p : problems) if (p != null) return p;
        return null;
    }
}
