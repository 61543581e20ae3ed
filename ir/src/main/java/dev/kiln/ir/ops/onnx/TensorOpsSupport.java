package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Inference helpers shared by the tensor op families (layout, indexing, reduction, resampling). */
final class TensorOpsSupport {
    private TensorOpsSupport() {}

    /** The integer values of constant input {@code i}, or null when the input is absent or not a constant. */
    static long[] constLongs(InferenceContext ctx, int i) {
        if (!ctx.hasInput(i)) return null;
        Tensor t = ctx.constantInput(i);
        if (t == null) return null;
        if (!t.dtype().isInteger()) throw ctx.fail("input " + i + " must be an integer tensor, got " + t.dtype());
        return t.toLongs();
    }

    /** The values of constant input {@code i} as doubles, or null when absent or not a constant. */
    static double[] constDoubles(InferenceContext ctx, int i) {
        if (!ctx.hasInput(i)) return null;
        Tensor t = ctx.constantInput(i);
        return t == null ? null : t.toDoubles();
    }

    /** Normalizes a possibly negative axis against {@code rank}, failing when it is out of range. */
    static int axis(InferenceContext ctx, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    /** Normalizes axes against {@code rank}, failing on out-of-range or repeated axes. */
    static int[] axes(InferenceContext ctx, long[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(ctx, axes[i], rank);
            if (seen[out[i]]) throw ctx.fail("axis " + axes[i] + " is repeated in " + Arrays.toString(axes));
            seen[out[i]] = true;
        }
        return out;
    }

    /**
     * An axes list that is an attribute before {@code inputSince} and input {@code inputIndex} from then on.
     * Returns the axes, an empty array when none are given, or null when the input is not a constant.
     */
    static long[] attrOrInputAxes(InferenceContext ctx, String attr, int inputIndex, int inputSince) {
        if (ctx.opset() < inputSince) {
            long[] a = ctx.intsAttr(attr);
            return a == null ? new long[0] : a;
        }
        if (!ctx.hasInput(inputIndex)) return new long[0];
        return constLongs(ctx, inputIndex);
    }

    static List<ValueType> tensor(DType dtype, Shape shape) { return List.of(new TensorType(dtype, shape)); }

    static List<ValueType> tensor(DType dtype, List<Dim> dims) { return tensor(dtype, Shape.of(dims)); }

    /** The product of two dims: static when both are, else unknown. */
    static Dim times(Dim a, Dim b) {
        if (a.isStatic() && b.isStatic()) return Dim.of(Math.multiplyExact(a.size(), b.size()));
        if (a.isStatic() && a.size() == 1) return b;
        if (b.isStatic() && b.size() == 1) return a;
        if ((a.isStatic() && a.size() == 0) || (b.isStatic() && b.size() == 0)) return Dim.of(0);
        return Dim.UNKNOWN;
    }

    static Dim sum(Dim a, Dim b) {
        if (a.isStatic() && b.isStatic()) return Dim.of(Math.addExact(a.size(), b.size()));
        if (a.isStatic() && a.size() == 0) return b;
        if (b.isStatic() && b.size() == 0) return a;
        return Dim.UNKNOWN;
    }

    /** {@code a / divisor} for a static divisor, failing when a static dim does not divide. */
    static Dim divide(InferenceContext ctx, Dim a, long divisor, String what) {
        if (!a.isStatic()) return Dim.UNKNOWN;
        if (divisor <= 0 || a.size() % divisor != 0) throw ctx.fail(what + " " + a.size() + " is not divisible by " + divisor);
        return Dim.of(a.size() / divisor);
    }

    /** The input's dims, failing when its rank is unknown (callers check {@code hasRank()} first when it may be). */
    static List<Dim> dims(InferenceContext ctx, int input) { return new ArrayList<>(ctx.inputShape(input).dims()); }

    /** Fails unless input {@code i} is i32 or i64, the index types ONNX allows. */
    static void requireIndexType(InferenceContext ctx, int i, String what) {
        DType t = ctx.inputDType(i);
        if (t != DType.I32 && t != DType.I64) throw ctx.fail(what + " must be int32 or int64, got " + t);
    }

    /** Fails unless input {@code i} has a numeric (not string, bool or complex) element type. */
    static void requireNumeric(InferenceContext ctx, int i, String what) {
        DType t = ctx.inputDType(i);
        if (!t.isFloat() && !t.isInteger()) throw ctx.fail(what + " must be numeric, got " + t);
    }

    static void requireFloat(InferenceContext ctx, int i, String what) {
        DType t = ctx.inputDType(i);
        if (!t.isFloat()) throw ctx.fail(what + " must be a floating-point tensor, got " + t);
    }

    /** The static length of 1-D input {@code i}, or -1 when unknown. */
    static long staticLength(InferenceContext ctx, int i) {
        Shape s = ctx.inputShape(i);
        if (!s.hasRank()) return -1;
        if (s.rank() != 1) throw ctx.fail("input " + i + " must be 1-D, got shape " + s);
        return s.dim(0).isStatic() ? s.dim(0).size() : -1;
    }

    /** Number of outputs the node declares (some may be absent). */
    static int outputCount(InferenceContext ctx) { return ctx.node().outputs().size(); }
}
