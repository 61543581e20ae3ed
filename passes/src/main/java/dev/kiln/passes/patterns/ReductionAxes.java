package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/** The axes of a Reduce* node: its attribute, or its constant second input from the opset that moved them there (13 for ReduceSum, 18 for the others). */
final class ReductionAxes {
    private ReductionAxes() {}

    /**
     * The axes, normalized to [0, rank) and sorted, when the node keeps dims and its axes are known; else null.
     * An empty or absent axes list (reduce everything) also gives null: no pattern here wants it.
     */
    static int[] of(Node reduce, PatternGraph g, int rank) {
        Attribute keep = reduce.attribute("keepdims");
        if (keep != null && keep.asInt() != 1) return null;
        long[] axes;
        boolean axesAsInput = g.opset() >= (reduce.op().equals("ReduceSum") ? 13 : 18);
        if (!axesAsInput) {
            if (!reduce.hasAttribute("axes")) return null;
            axes = reduce.attribute("axes").asInts();
        } else {
            Tensor t = g.constant(reduce.input(1));
            if (t == null) return null;
            axes = new long[t.size()];
            for (int i = 0; i < axes.length; i++) axes[i] = t.getLong(i);
        }
        if (axes.length == 0) return null;
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) return null;
            out[i] = (int) a;
        }
        Arrays.sort(out);
        return out;
    }

    /** The one axis of a single-axis reduction, else null. */
    static Integer single(Node reduce, PatternGraph g, int rank) {
        int[] axes = of(reduce, g, rank);
        return axes != null && axes.length == 1 ? axes[0] : null;
    }

    /** The first axis when the axes are exactly the trailing run {@code [k, rank)}, else -1. */
    static int trailingStart(int[] axes, int rank) {
        if (axes == null) return -1;
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != rank - axes.length + i) return -1;
        }
        return rank - axes.length;
    }
}
