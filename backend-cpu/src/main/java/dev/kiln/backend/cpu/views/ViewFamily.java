package dev.kiln.backend.cpu.views;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.Set;

/**
 * Shape-only ops become views of their input. Their shape-giving inputs (Reshape's shape, opset-13 Squeeze and
 * Unsqueeze axes) are integer tensors: constants, or small vectors computed at run time from shapes (a Reshape
 * target built by Shape → Gather → Concat), which the step compares with the last run's before reusing its view.
 */
public final class ViewFamily implements CpuKernelFamily {
    private static final Set<String> OPS = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || !OPS.contains(node.op()) || node.outputs().size() != 1 || node.inputs().isEmpty()) return null;
        if (!(node.input(0).type() instanceof TensorType t) || t.dtype() == DType.STRING) return null;
        for (int i = 1; i < node.inputs().size(); i++) {
            Value v = node.input(i);
            if (v.isAbsent() || graph.constants().containsKey(v.name())) continue;
            if (!(v.type() instanceof TensorType a) || !a.dtype().isInteger() || !a.shape().hasRank() || a.shape().rank() > 1) return null;
        }
        return new ViewStep(node, graph, slots.of(node.inputs()), slots.of(node.output(0)));
    }
}
