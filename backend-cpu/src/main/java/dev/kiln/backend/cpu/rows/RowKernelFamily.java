package dev.kiln.backend.cpu.rows;

import dev.kiln.backend.cpu.kernels.LayerNormKernel;
import dev.kiln.backend.cpu.kernels.SoftmaxKernel;
import dev.kiln.backend.cpu.kernels.UnaryMathKernel;
import dev.kiln.backend.cpu.math.MathFunction;
import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.floatAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * Softmax and LogSoftmax over contiguous rows, layer normalization over the last axis, and the math functions the
 * elementwise generator leaves to the vector math library (Erf, exact Gelu, Softplus), all float32.
 */
public final class RowKernelFamily implements CpuKernelFamily {
    private static final SoftmaxKernel SOFTMAX = new SoftmaxKernel(FloatVector.SPECIES_PREFERRED);
    private static final LayerNormKernel LAYER_NORM = new LayerNormKernel(FloatVector.SPECIES_PREFERRED);

    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!allF32(node)) return null;
        int[] in = slots.of(node.inputs());
        int out = slots.of(node.output(0));
        int opset = graph.opset(node.domain());
        String op = node.qualifiedOp();
        return switch (op) {
            case "Softmax", "LogSoftmax" -> softmax(node, in, out, opset);
            case "LayerNormalization", "kiln:LayerNormalization" -> layerNorm(node, in, out);
            case "Erf" -> unary(node, in, out, MathFunction.ERF);
            case "Softplus" -> unary(node, in, out, MathFunction.SOFTPLUS);
            case "Gelu", "kiln:Gelu" -> "none".equals(stringAttr(node, "approximate", "none")) ? unary(node, in, out, MathFunction.GELU) : null;
            default -> null;
        };
    }

    /** Opset 13 and later: rows along one axis, contiguous only when it is the last; before: everything from {@code axis} flattened. */
    private static Step softmax(Node node, int[] in, int out, int opset) {
        int rank = rank(node.input(0));
        long axis = intAttr(node, "axis", opset >= 13 ? -1 : 1);
        if (opset >= 13 && rank >= 0 && axis != -1 && axis != rank - 1) return null;
        if (opset >= 13 && rank < 0 && axis != -1) return null;
        boolean log = node.op().equals("LogSoftmax");
        RowStep.RowKernel kernel = log
                ? (s, o, rows, cols) -> SOFTMAX.logSoftmax(s[0], 0, o, 0, rows, cols)
                : (s, o, rows, cols) -> SOFTMAX.softmax(s[0], 0, o, 0, rows, cols);
        return new RowStep(node, in, out, (int) (opset >= 13 ? -1 : axis), kernel, (log ? "log-softmax" : "softmax") + " (vector rows)");
    }

    /** Only the normalized output, over the last axis, with a scale (and bias) of that axis's size. */
    private static Step layerNorm(Node node, int[] in, int out) {
        if (node.outputs().size() > 1 && node.outputs().subList(1, node.outputs().size()).stream().anyMatch(v -> !v.isAbsent())) return null;
        int rank = rank(node.input(0));
        long axis = intAttr(node, "axis", -1);
        if (rank < 1 || (axis != -1 && axis != rank - 1)) return null;
        for (int i = 1; i < node.inputs().size(); i++) if (!node.input(i).isAbsent() && rank(node.input(i)) != 1) return null;
        float epsilon = floatAttr(node, "epsilon", 1e-5f);
        boolean bias = node.inputs().size() > 2 && !node.input(2).isAbsent();
        RowStep.RowKernel kernel = (s, o, rows, cols) -> {
            checkSize(node, s[1], cols, "scale");
            if (bias) checkSize(node, s[2], cols, "bias");
            LAYER_NORM.normalize(s[0], 0, s[1], 0, bias ? s[2] : null, 0, o, 0, rows, cols, epsilon);
        };
        return new RowStep(node, in, out, -1, kernel, "layer normalization (vector rows)");
    }

    private static Step unary(Node node, int[] in, int out, MathFunction function) {
        UnaryMathKernel kernel = new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, function);
        return new RowStep(node, in, out, 0, (s, o, rows, cols) -> kernel.apply(s[0], 0, o, 0, cols),
                function.name().toLowerCase(java.util.Locale.ROOT) + " (vector math)");
    }

    private static void checkSize(Node node, MemorySegment segment, int cols, String what) {
        if (segment.byteSize() != (long) cols * Float.BYTES) {
            throw new dev.kiln.runtime.KilnException(node.describe() + ": " + what + " has " + segment.byteSize() / Float.BYTES
                    + " elements, the normalized axis " + cols);
        }
    }

    private static boolean allF32(Node node) {
        if (node.inputs().isEmpty() || node.outputs().isEmpty()) return false;
        for (Value v : node.inputs()) if (!v.isAbsent() && !(v.type() instanceof TensorType t && t.dtype() == DType.F32)) return false;
        return node.output(0).type() instanceof TensorType t && t.dtype() == DType.F32;
    }

    private static int rank(Value v) {
        return v.type() instanceof TensorType t && t.shape().hasRank() ? t.shape().rank() : -1;
    }
}
