package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Symbolic values of the small integer tensors a model computes from shapes, as in ONNX Runtime's symbolic shape
 * inference: a Shape of {@code [8,batch,32]} is the value {@code [8, batch, 32]}, a Gather of its element 1 times 4
 * is {@code 4*batch}, and a Concat of such pieces is a Reshape target whose every dim is known although none is a
 * constant. Values are flat element lists (null for an element not known); constants take part as their numbers.
 * Followed: Shape, Size, Gather and Slice of a vector, Concat, the view ops, integer Cast, and Mul, Div (exact
 * quotients only), Add and Sub (constants only) elementwise.
 */
public final class ShapeValues {
    /** Longer integer tensors are data, not shapes: not followed. */
    public static final int MAX_LENGTH = 64;

    private ShapeValues() {}

    /** The value of a constant integer tensor of at most {@link #MAX_LENGTH} elements, else null. */
    public static List<DimProduct> ofConstant(Tensor t) {
        if (t == null || !t.dtype().isInteger() || t.size() > MAX_LENGTH) return null;
        List<DimProduct> v = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) v.add(DimProduct.constant(t.getLong(i)));
        return Collections.unmodifiableList(v);
    }

    /** The value of the node's single output, whose inferred type is {@code out}, or null when it is not followed. */
    static List<DimProduct> of(InferenceContext ctx, ValueType out) {
        if (!ctx.node().domain().isEmpty() || ctx.node().outputs().size() != 1) return null;
        if (!(out instanceof TensorType t) || !t.dtype().isInteger()) return null;
        List<DimProduct> v;
        try {
            v = follow(ctx);
        } catch (ArithmeticException e) {
            return null; // a product past a long is no shape
        }
        return v == null || v.size() > MAX_LENGTH ? null : Collections.unmodifiableList(v);
    }

    private static List<DimProduct> follow(InferenceContext ctx) {
        return switch (ctx.node().op()) {
            case "Shape" -> shape(ctx);
            case "Size" -> size(ctx);
            case "Gather" -> gather(ctx);
            case "Slice" -> slice(ctx);
            case "Concat" -> concat(ctx);
            case "Identity", "Cast", "Squeeze", "Unsqueeze", "Reshape", "Flatten" -> ctx.shapeValueInput(0);
            case "Mul" -> elementwise(ctx, DimProduct::times);
            case "Div" -> elementwise(ctx, DimProduct::dividedBy);
            case "Add" -> elementwise(ctx, (a, b) -> a.isConstant() && b.isConstant() ? DimProduct.constant(Math.addExact(a.coefficient(), b.coefficient())) : null);
            case "Sub" -> elementwise(ctx, (a, b) -> a.isConstant() && b.isConstant() ? DimProduct.constant(Math.subtractExact(a.coefficient(), b.coefficient())) : null);
            default -> null;
        };
    }

    private static List<DimProduct> shape(InferenceContext ctx) {
        Shape s = ctx.inputShape(0);
        if (!s.hasRank()) return null;
        int rank = s.rank();
        Attribute start = ctx.node().attribute("start");
        Attribute end = ctx.node().attribute("end");
        int from = clampAxis(start == null ? 0 : start.asInt(), rank);
        int to = clampAxis(end == null ? rank : end.asInt(), rank);
        List<DimProduct> v = new ArrayList<>();
        for (int i = from; i < to; i++) v.add(DimProduct.of(s.dim(i)));
        return v;
    }

    private static List<DimProduct> size(InferenceContext ctx) {
        Shape s = ctx.inputShape(0);
        if (!s.hasRank()) return null;
        DimProduct p = DimProduct.constant(1);
        for (Dim d : s.dims()) {
            DimProduct f = DimProduct.of(d);
            if (f == null) return null;
            p = p.times(f);
        }
        return List.of(p);
    }

    private static List<DimProduct> gather(InferenceContext ctx) {
        long axis = ctx.intAttr("axis", 0);
        List<DimProduct> data = vector(ctx, 0);
        Tensor indices = ctx.constantInput(1);
        if (data == null || (axis != 0 && axis != -1) || indices == null || !indices.dtype().isInteger()) return null;
        List<DimProduct> v = new ArrayList<>();
        int n = data.size();
        for (long i : indices.toLongs()) {
            long k = i < 0 ? i + n : i;
            if (k < 0 || k >= n) return null; // out of range: the kernel reports it at run time
            v.add(data.get((int) k));
        }
        return v;
    }

    private static List<DimProduct> slice(InferenceContext ctx) {
        List<DimProduct> data = vector(ctx, 0);
        if (data == null) return null;
        long[] starts = ctx.opset() < 10 ? ctx.intsAttr("starts") : longs(ctx, 1);
        long[] ends = ctx.opset() < 10 ? ctx.intsAttr("ends") : longs(ctx, 2);
        long[] axes = ctx.opset() < 10 ? ctx.intsAttr("axes") : longs(ctx, 3);
        long[] steps = ctx.opset() < 10 ? null : longs(ctx, 4);
        if (ctx.opset() >= 10 && ((ctx.inputCount() > 3 && ctx.hasInput(3) && axes == null) || (ctx.inputCount() > 4 && ctx.hasInput(4) && steps == null))) return null;
        if (starts == null || ends == null || starts.length != 1 || ends.length != 1) return null;
        if (axes != null && (axes.length != 1 || (axes[0] != 0 && axes[0] != -1))) return null;
        if (steps != null && (steps.length != 1 || steps[0] == 0)) return null;
        return slice(data, starts[0], ends[0], steps == null ? 1 : steps[0]);
    }

    /** Elements {@code start:end:step} of a vector with ONNX Slice's clamping of the bounds. */
    public static <T> List<T> slice(List<T> vector, long start, long end, long step) {
        int n = vector.size();
        long from = start < 0 ? start + n : start;
        long to = end < 0 ? end + n : end;
        List<T> picked = new ArrayList<>();
        if (n == 0) return picked;
        if (step > 0) {
            for (long k = Math.clamp(from, 0, n); k < Math.clamp(to, 0, n); k += step) picked.add(vector.get((int) k));
        } else {
            for (long k = Math.clamp(from, 0, n - 1); k > Math.clamp(to, -1, n - 1); k += step) picked.add(vector.get((int) k));
        }
        return picked;
    }

    private static List<DimProduct> concat(InferenceContext ctx) {
        long axis = ctx.intAttr("axis", 0);
        if (axis != 0 && axis != -1) return null;
        List<DimProduct> v = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            List<DimProduct> part = vector(ctx, i);
            if (part == null) return null;
            v.addAll(part);
        }
        return v;
    }

    private static List<DimProduct> elementwise(InferenceContext ctx, BinaryOperator<DimProduct> op) {
        List<DimProduct> a = ctx.shapeValueInput(0);
        List<DimProduct> b = ctx.shapeValueInput(1);
        if (a == null || b == null || (a.size() != b.size() && a.size() != 1 && b.size() != 1)) return null;
        if (ctx.inputShape(0).hasRank() && ctx.inputShape(0).rank() > 1 || ctx.inputShape(1).hasRank() && ctx.inputShape(1).rank() > 1) return null;
        int n = Math.max(a.size(), b.size());
        List<DimProduct> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DimProduct x = a.get(a.size() == 1 ? 0 : i);
            DimProduct y = b.get(b.size() == 1 ? 0 : i);
            v.add(x == null || y == null ? null : op.apply(x, y));
        }
        return v;
    }

    /** The value of input {@code i} when it is a scalar or 1-D. */
    private static List<DimProduct> vector(InferenceContext ctx, int i) {
        Shape s = ctx.inputShape(i);
        if (!s.hasRank() || s.rank() > 1) return null;
        return ctx.shapeValueInput(i);
    }

    private static long[] longs(InferenceContext ctx, int i) {
        if (i >= ctx.inputCount() || !ctx.hasInput(i)) return null;
        Tensor t = ctx.constantInput(i);
        return t == null || !t.dtype().isInteger() ? null : t.toLongs();
    }

    private static int clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.clamp(a, 0, rank);
    }
}
