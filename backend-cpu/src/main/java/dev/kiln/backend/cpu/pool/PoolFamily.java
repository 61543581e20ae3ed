package dev.kiln.backend.cpu.pool;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;

/**
 * 2-D float32 pooling on NCHW: MaxPool (without its Indices output), AveragePool (floor mode), GlobalMaxPool and
 * GlobalAveragePool, with explicit padding (or VALID).
 */
public final class PoolFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || node.inputs().size() != 1 || !isF32Rank4(node.input(0)) || !isF32Rank4(node.output(0))) return null;
        if (node.outputs().size() > 1 && !node.output(1).isAbsent()) return null;
        int in = slots.of(node.input(0)), out = slots.of(node.output(0));
        return switch (node.op()) {
            case "GlobalMaxPool" -> new PoolStep(node, in, out, true, false, null);
            case "GlobalAveragePool" -> new PoolStep(node, in, out, false, false, null);
            case "MaxPool" -> window(node, in, out, true);
            case "AveragePool" -> intAttr(node, "ceil_mode", 0) == 0 ? window(node, in, out, false) : null;
            default -> null;
        };
    }

    private static Step window(Node node, int in, int out, boolean max) {
        Attribute autoPad = node.attributes().get("auto_pad");
        if (autoPad != null && !autoPad.asString().equals("NOTSET") && !autoPad.asString().equals("VALID")) return null;
        long[] kernel = ints(node, "kernel_shape", null);
        long[] strides = ints(node, "strides", new long[] {1, 1});
        long[] pads = ints(node, "pads", new long[] {0, 0, 0, 0});
        long[] dilations = ints(node, "dilations", new long[] {1, 1});
        if (kernel == null || kernel.length != 2 || strides.length != 2 || pads.length != 4 || dilations.length != 2) return null;
        PoolWindow window = new PoolWindow((int) kernel[0], (int) kernel[1], (int) strides[0], (int) strides[1], (int) pads[0],
                (int) pads[1], (int) pads[2], (int) pads[3], (int) dilations[0], (int) dilations[1], intAttr(node, "ceil_mode", 0) != 0);
        return new PoolStep(node, in, out, max, intAttr(node, "count_include_pad", 0) != 0, window);
    }

    private static boolean isF32Rank4(Value v) {
        return !v.isAbsent() && v.type() instanceof TensorType t && t.dtype() == DType.F32 && t.shape().hasRank() && t.shape().rank() == 4;
    }
}
