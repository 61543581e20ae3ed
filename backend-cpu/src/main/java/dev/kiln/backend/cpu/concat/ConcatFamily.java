package dev.kiln.backend.cpu.concat;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/** Concat of float32 tensors (SqueezeNet's fire modules, Inception-style branches) as bulk copies into a reused buffer. */
public final class ConcatFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || !node.op().equals("Concat") || node.inputs().isEmpty() || !isF32(node.output(0))) return null;
        for (Value v : node.inputs()) if (v.isAbsent() || !isF32(v)) return null;
        if (!node.attributes().containsKey("axis")) return null;
        return new ConcatStep(node, slots.of(node.inputs()), slots.of(node.output(0)), (int) intAttr(node, "axis", 0));
    }
}
