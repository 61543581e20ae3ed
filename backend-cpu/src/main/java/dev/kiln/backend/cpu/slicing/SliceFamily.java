package dev.kiln.backend.cpu.slicing;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/**
 * Slice of float32 data whose starts, ends, axes and steps are constants (inputs since opset 10, attributes
 * before): the common case, in which one input shape gives one output shape. Computed bounds stay generic.
 */
public final class SliceFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!node.domain().isEmpty() || !node.op().equals("Slice") || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        long[] starts, ends, axes, steps;
        if (node.hasAttribute("starts")) {
            starts = ints(node.attribute("starts"));
            ends = ints(node.attribute("ends"));
            axes = ints(node.attribute("axes"));
            steps = null;
            if (node.inputs().size() > 1) return null;
        } else {
            starts = constant(graph, node.input(1));
            ends = constant(graph, node.input(2));
            axes = node.input(3).isAbsent() ? null : constant(graph, node.input(3));
            steps = node.input(4).isAbsent() ? null : constant(graph, node.input(4));
            if (!node.input(3).isAbsent() && axes == null || !node.input(4).isAbsent() && steps == null) return null;
        }
        if (starts == null || ends == null || ends.length != starts.length) return null;
        int k = starts.length;
        if (axes == null) {
            axes = new long[k];
            for (int i = 0; i < k; i++) axes[i] = i;
        }
        if (steps == null) {
            steps = new long[k];
            Arrays.fill(steps, 1);
        }
        if (axes.length != k || steps.length != k || Arrays.stream(steps).anyMatch(s -> s == 0)) return null;
        if (Arrays.stream(axes).distinct().count() != k || Arrays.stream(axes).anyMatch(a -> a < 0) && Arrays.stream(axes).anyMatch(a -> a >= 0)) return null;
        return new SliceStep(node, slots.of(node.input(0)), slots.of(node.output(0)), starts, ends, axes, steps);
    }

    private static long[] ints(Attribute a) { return a == null ? null : a.asInts(); }

    /** The integer constant behind {@code v}, or null when it is not one. */
    private static long[] constant(Graph graph, Value v) {
        if (v.isAbsent()) return null;
        Tensor t = graph.constants().get(v.name());
        if (t == null || (t.dtype() != DType.I64 && t.dtype() != DType.I32) || t.rank() > 1) return null;
        return t.toLongs();
    }
}
