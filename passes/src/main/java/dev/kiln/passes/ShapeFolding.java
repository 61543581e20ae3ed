package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.ShapeValues;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shape arithmetic of {@link FoldConstants}: what a Shape node yields from its input's type, as dims that may
 * be symbolic, and which parts of such a shape vector a Gather or Slice picks. A result whose dims are all static is
 * a constant even when the shape it came from is not (a symbolic batch dim does not keep dim 2 from being known).
 */
final class ShapeFolding {
    private ShapeFolding() {}

    /** The dims a Shape node yields, or null when its input's rank is unknown. */
    static List<Dim> shapeOf(Node shape) {
        if (!(shape.input(0).type() instanceof TensorType t) || !t.shape().hasRank()) return null;
        int rank = t.shape().rank();
        Attribute start = shape.attribute("start");
        Attribute end = shape.attribute("end");
        int from = clampAxis(start == null ? 0 : start.asInt(), rank);
        int to = clampAxis(end == null ? rank : end.asInt(), rank);
        return from >= to ? List.of() : t.shape().dims().subList(from, to);
    }

    /** Size of an input of static shape, or null. */
    static Tensor sizeOf(Node size) {
        if (!(size.input(0).type() instanceof TensorType t) || !t.shape().isStatic()) return null;
        return Tensor.ofLongs(DType.I64, new long[0], t.shape().elementCount());
    }

    /**
     * The dims a Gather (axis 0, constant indices) or Slice (constant bounds) picks from a shape vector, or null when
     * the node is neither or its indices/bounds are not constant.
     */
    static Picked pick(Node node, List<Dim> vector, Map<String, Tensor> known, int opset) {
        return switch (node.op()) {
            case "Gather" -> gather(node, vector, known);
            case "Slice" -> slice(node, vector, known, opset);
            default -> null;
        };
    }

    /** Dims picked from a shape vector, and the shape of the picked tensor (a scalar index gives a scalar). */
    record Picked(List<Dim> dims, long[] shape) {
        boolean isStatic() { return dims.stream().allMatch(Dim::isStatic); }

        Tensor toTensor() { return Tensor.ofLongs(DType.I64, shape, dims.stream().mapToLong(Dim::size).toArray()); }
    }

    private static Picked gather(Node node, List<Dim> vector, Map<String, Tensor> known) {
        Attribute axis = node.attribute("axis");
        if (axis != null && axis.asInt() != 0 && axis.asInt() != -1) return null;
        Tensor indices = known.get(node.input(1).name());
        if (indices == null || !indices.dtype().isInteger()) return null;
        List<Dim> dims = new ArrayList<>();
        int n = vector.size();
        for (long i : indices.toLongs()) {
            long k = i < 0 ? i + n : i;
            if (k < 0 || k >= n) return null; // out of range: leave the error to the kernel at run time
            dims.add(vector.get((int) k));
        }
        return new Picked(dims, indices.shape());
    }

    private static Picked slice(Node node, List<Dim> vector, Map<String, Tensor> known, int opset) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (opset < 10) {
            starts = ints(node.attribute("starts"));
            ends = ints(node.attribute("ends"));
            axes = ints(node.attribute("axes"));
            steps = null;
        } else {
            starts = constant(node.input(1), known);
            ends = constant(node.input(2), known);
            axes = constant(node.input(3), known);
            steps = constant(node.input(4), known);
            if ((!node.input(3).isAbsent() && axes == null) || (!node.input(4).isAbsent() && steps == null)) return null;
        }
        if (starts == null || ends == null || starts.length != 1 || ends.length != 1) return null;
        if (axes != null && (axes.length != 1 || (axes[0] != 0 && axes[0] != -1))) return null;
        long step = steps == null ? 1 : steps[0];
        if (step == 0 || (steps != null && steps.length != 1)) return null;
        List<Dim> dims = ShapeValues.slice(vector, starts[0], ends[0], step);
        return new Picked(dims, new long[] {dims.size()});
    }

    private static long[] ints(Attribute a) { return a == null ? null : a.asInts(); }

    private static long[] constant(Value v, Map<String, Tensor> known) {
        if (v.isAbsent()) return null;
        Tensor t = known.get(v.name());
        return t == null || !t.dtype().isInteger() ? null : t.toLongs();
    }

    private static int clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.clamp(a, 0, rank);
    }
}
