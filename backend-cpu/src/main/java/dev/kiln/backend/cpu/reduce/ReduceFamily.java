package dev.kiln.backend.cpu.reduce;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;

/**
 * Float32 ReduceSum and ReduceMean over consecutive constant axes (a sequence model's mean over its time steps, a
 * global pooling written as a reduction): {@link ReduceStep}. Other axes, other reductions and
 * {@code noop_with_empty_axes} run the generic kernel.
 */
public final class ReduceFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || node.outputs().size() != 1) return null;
        boolean mean = node.op().equals("ReduceMean");
        if (!mean && !node.op().equals("ReduceSum")) return null;
        if (!isF32(node.input(0)) || !isF32(node.output(0))) return null;
        if (!(node.input(0).type() instanceof TensorType t) || !t.shape().hasRank()) return null;
        int rank = t.shape().rank();
        long[] axes = axes(node, graph);
        if (axes == null) return null;
        if (axes.length == 0) {
            if (intAttr(node, "noop_with_empty_axes", 0) != 0) return null;
            axes = new long[rank];
            for (int a = 0; a < rank; a++) axes[a] = a;
        }
        int[] normalized = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) return null; // the generic kernel reports it
            normalized[i] = (int) a;
        }
        Arrays.sort(normalized);
        for (int i = 1; i < normalized.length; i++) if (normalized[i] != normalized[i - 1] + 1) return null;
        int first = normalized.length == 0 ? 0 : normalized[0];
        int end = normalized.length == 0 ? 0 : normalized[normalized.length - 1] + 1;
        boolean keepDims = intAttr(node, "keepdims", 1) != 0;
        return new ReduceStep(node, slots.of(node.input(0)), slots.of(node.output(0)), first, end, keepDims, mean);
    }

    /** The axes: the attribute (before ReduceSum 13 and the other reductions' 18), else the constant second input. */
    private static long[] axes(Node node, Graph graph) {
        if (node.inputs().size() < 2 || node.input(1).isAbsent()) return ints(node, "axes", new long[0]);
        Tensor t = graph.constants().get(node.input(1).name());
        return t == null || !t.dtype().isInteger() ? null : t.toLongs();
    }

    private static boolean isF32(Value v) { return !v.isAbsent() && v.type() instanceof TensorType t && t.dtype() == DType.F32; }
}
