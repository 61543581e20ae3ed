package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Set;

/** Inference helpers shared by the neural-network op schemas (conv, pool, norm, matmul, quantize, recurrent). */
public final class NnInference {
    private NnInference() {}

    static final Set<DType> FLOATS = Set.of(DType.F16, DType.BF16, DType.F32, DType.F64);
    static final Set<DType> QUANTIZED_8BIT = Set.of(DType.I8, DType.U8);

    static AttrSpec intAttr(String name, long def) { return AttrSpec.withDefault(name, Attribute.of(def)); }

    static AttrSpec floatAttr(String name, float def) { return AttrSpec.withDefault(name, Attribute.of(def)); }

    static AttrSpec stringAttr(String name, String def) { return AttrSpec.withDefault(name, Attribute.of(def)); }

    static AttrSpec ints(String name) { return AttrSpec.optional(name, Attribute.Kind.INTS); }

    /** Fails unless input {@code i} has one of {@code allowed} element types; returns its type. */
    static TensorType requireType(InferenceContext ctx, int i, Set<DType> allowed, String what) {
        TensorType t = ctx.input(i);
        if (!allowed.contains(t.dtype())) throw ctx.fail("input " + i + " must be " + what + ", got " + t.dtype());
        return t;
    }

    static TensorType requireFloat(InferenceContext ctx, int i) { return requireType(ctx, i, FLOATS, "a float tensor"); }

    /** Fails unless optional input {@code i}, when present, has the element type of input {@code like}. */
    static void requireSameType(InferenceContext ctx, int i, int like) {
        if (!ctx.hasInput(i)) return;
        DType a = ctx.inputDType(i);
        DType b = ctx.inputDType(like);
        if (a != b) throw ctx.fail("input " + i + " must have the element type of input " + like + " (" + b + "), got " + a);
    }

    /** Fails when the rank of input {@code i} is known and below {@code min}. */
    static void requireRankAtLeast(InferenceContext ctx, int i, int min) {
        Shape s = ctx.inputShape(i);
        if (s.hasRank() && s.rank() < min) throw ctx.fail("input " + i + " must have rank >= " + min + ", got " + s);
    }

    static void requireRank(InferenceContext ctx, int i, int rank) {
        Shape s = ctx.inputShape(i);
        if (s.hasRank() && s.rank() != rank) throw ctx.fail("input " + i + " must have rank " + rank + ", got " + s);
    }

    /** The static size of a dim, or -1. */
    static long size(Dim d) { return d.isStatic() ? d.size() : -1; }

    /** A dim from a size that may be -1 (unknown). */
    static Dim dim(long size) { return size < 0 ? Dim.UNKNOWN : Dim.of(size); }

    /** Static sizes of a ranked shape with -1 for non-static dims. */
    static long[] sizes(Shape s) {
        long[] out = new long[s.rank()];
        for (int i = 0; i < out.length; i++) out[i] = size(s.dim(i));
        return out;
    }

    /** The integer values of constant input {@code i}, or null when it is absent or not constant. */
    static long[] constantLongs(InferenceContext ctx, int i) {
        Tensor t = ctx.constantInput(i);
        return t == null ? null : t.toLongs();
    }

    /** Normalizes an axis against a known rank, failing with the node named. */
    static int axis(InferenceContext ctx, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    /** The first n types, n being the node's output count (multi-output ops whose trailing outputs are optional). */
    static List<ValueType> forOutputs(InferenceContext ctx, List<? extends ValueType> all) {
        int n = Math.min(all.size(), ctx.node().outputs().size());
        return List.copyOf(all.subList(0, n));
    }
}
