package dev.kiln.backend.cpu.layout;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/**
 * Float32 data movement as bulk copies into reused buffers: Transpose with an explicit permutation (the rank known
 * from the declared type) and Gather by constant indices. Other cases stay with the generic kernel.
 */
public final class LayoutFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || node.inputs().isEmpty() || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        return switch (node.op()) {
            case "Transpose" -> transpose(node, slots);
            case "Gather" -> gather(node, graph, slots);
            default -> null;
        };
    }

    private static Step transpose(Node node, Slots slots) {
        long[] perm = ints(node, "perm", null);
        if (perm == null || !(node.input(0).type() instanceof TensorType t) || !t.shape().hasRank() || t.shape().rank() != perm.length) return null;
        boolean[] seen = new boolean[perm.length];
        for (long p : perm) {
            if (p < 0 || p >= perm.length || seen[(int) p]) return null;
            seen[(int) p] = true;
        }
        int[] axes = new int[perm.length];
        for (int i = 0; i < axes.length; i++) axes[i] = (int) perm[i];
        return new TransposeStep(node, slots.of(node.input(0)), slots.of(node.output(0)), axes);
    }

    private static Step gather(Node node, Graph graph, Slots slots) {
        if (node.inputs().size() != 2 || node.input(1).isAbsent()) return null;
        Tensor indices = graph.constants().get(node.input(1).name());
        if (indices == null || (indices.dtype() != DType.I64 && indices.dtype() != DType.I32)) return null;
        if (!(node.input(0).type() instanceof TensorType t) || !t.shape().hasRank()) return null;
        int rank = t.shape().rank();
        long axis = intAttr(node, "axis", 0);
        if (axis < -rank || axis >= rank) return null;
        long[] idx = new long[indices.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = indices.getLong(i);
        return new GatherStep(node, slots.of(node.input(0)), slots.of(node.output(0)), (int) (axis < 0 ? axis + rank : axis),
                idx, indices.shape());
    }
}
