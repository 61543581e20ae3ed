package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.TypeInference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Type sets and shape rules shared by the elementwise op schemas. */
final class ElementwiseInference {
    private ElementwiseInference() {}

    static final Set<DType> FLOATS = Collections.unmodifiableSet(EnumSet.of(DType.F16, DType.F32, DType.F64, DType.BF16));
    static final Set<DType> SIGNED_INTS = Collections.unmodifiableSet(EnumSet.of(DType.I8, DType.I16, DType.I32, DType.I64));
    static final Set<DType> UNSIGNED_INTS = Collections.unmodifiableSet(EnumSet.of(DType.U8, DType.U16, DType.U32, DType.U64));
    static final Set<DType> INTS = union(SIGNED_INTS, UNSIGNED_INTS);
    static final Set<DType> NUMERIC = union(FLOATS, INTS);
    static final Set<DType> SIGNED_NUMERIC = union(FLOATS, SIGNED_INTS);
    static final Set<DType> BOOL = Collections.unmodifiableSet(EnumSet.of(DType.BOOL));
    /** Every element type but complex: what Where, Identity and the comparisons of Equal may carry. */
    static final Set<DType> ANY = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(DType.C64, DType.C128)));

    @SafeVarargs
    private static Set<DType> union(Set<DType>... sets) {
        EnumSet<DType> all = EnumSet.noneOf(DType.class);
        for (Set<DType> s : sets) all.addAll(s);
        return Collections.unmodifiableSet(all);
    }

    /** Input {@code i}'s element type, failing unless it is one of {@code allowed}. */
    static DType checkedDType(InferenceContext ctx, int i, Set<DType> allowed) {
        DType t = ctx.inputDType(i);
        if (!allowed.contains(t)) throw ctx.fail("input " + i + " has element type " + t + ", which the op does not accept");
        return t;
    }

    /** One input, one output of the same type: the shape of every unary elementwise op. */
    static TypeInference unary(Set<DType> allowed) {
        return ctx -> {
            DType t = checkedDType(ctx, 0, allowed);
            return InferenceContext.one(new TensorType(t, ctx.inputShape(0)));
        };
    }

    /** One input of an allowed type, one output of {@code result} type and the input's shape. */
    static TypeInference unaryTo(Set<DType> allowed, DType result) {
        return ctx -> {
            checkedDType(ctx, 0, allowed);
            return InferenceContext.one(new TensorType(result, ctx.inputShape(0)));
        };
    }

    /** Every given input has one element type from {@code allowed}; returns it. */
    static DType sameDType(InferenceContext ctx, Set<DType> allowed, int... inputs) {
        DType first = checkedDType(ctx, inputs[0], allowed);
        for (int k = 1; k < inputs.length; k++) {
            DType t = ctx.inputDType(inputs[k]);
            if (t != first) {
                throw ctx.fail("inputs " + inputs[0] + " and " + inputs[k] + " must have one element type, got " + first + " and " + t);
            }
        }
        return first;
    }

    /** The multidirectional broadcast of the given inputs' shapes. */
    static Shape broadcastShape(InferenceContext ctx, int... inputs) {
        List<Shape> shapes = new ArrayList<>(inputs.length);
        for (int i : inputs) shapes.add(ctx.inputShape(i));
        try {
            return Broadcast.shapes(shapes);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /**
     * Binary ops over inputs of one element type with NumPy broadcasting; {@code result} null keeps the input type.
     * Before opset 7 these ops broadcast only when asked ({@code broadcast=1}), B onto A starting at {@code axis}.
     */
    static TypeInference binary(Set<DType> allowed, DType result) {
        return ctx -> {
            DType t = sameDType(ctx, allowed, 0, 1);
            Shape shape = ctx.opset() < 7 ? legacyBroadcastShape(ctx) : broadcastShape(ctx, 0, 1);
            return InferenceContext.one(new TensorType(result == null ? t : result, shape));
        };
    }

    /** Variadic ops (Max, Min, Sum, Mean): every input one type, the output their common broadcast. */
    static TypeInference variadic(Set<DType> allowed) {
        return ctx -> {
            int[] all = new int[ctx.inputCount()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            if (all.length == 0) throw ctx.fail("needs at least one input");
            DType t = sameDType(ctx, allowed, all);
            Shape shape = ctx.opset() < 8 && all.length > 1 ? sameShape(ctx, all) : broadcastShape(ctx, all);
            return InferenceContext.one(new TensorType(t, shape));
        };
    }

    /** Before opset 8 the variadic ops required equal shapes. */
    private static Shape sameShape(InferenceContext ctx, int[] inputs) {
        Shape first = ctx.inputShape(inputs[0]);
        for (int i : inputs) {
            Shape s = ctx.inputShape(i);
            if (first.isStatic() && s.isStatic() && !first.equals(s)) {
                throw ctx.fail("inputs must have one shape before opset 8, got " + first + " and " + s);
            }
        }
        return first;
    }

    /** Opset 1-6 broadcasting of Add, Mul, Pow, And, Equal, ...: the output has A's shape. */
    static Shape legacyBroadcastShape(InferenceContext ctx) {
        Shape a = ctx.inputShape(0);
        Shape b = ctx.inputShape(1);
        if (ctx.intAttr("broadcast", 0) == 0) {
            if (a.isStatic() && b.isStatic() && !a.equals(b)) {
                throw ctx.fail("shapes " + a + " and " + b + " differ and broadcast is not set");
            }
            return a.hasRank() ? a : b;
        }
        if (!a.hasRank() || !b.hasRank()) return a;
        if (b.rank() > a.rank()) throw ctx.fail("B of rank " + b.rank() + " cannot broadcast onto A of rank " + a.rank());
        int axis = legacyAxis(ctx.hasAttr("axis") ? ctx.intAttr("axis") : null, a.rank(), b.rank());
        if (axis < 0) throw ctx.fail("axis " + ctx.intAttr("axis") + " does not place B" + b + " inside A" + a);
        for (int i = 0; i < b.rank(); i++) {
            Dim da = a.dim(axis + i);
            Dim db = b.dim(i);
            if (da.isStatic() && db.isStatic() && db.size() != 1 && da.size() != db.size()) {
                throw ctx.fail("B" + b + " does not broadcast onto A" + a + " at axis " + axis);
            }
        }
        return a;
    }

    /** Where B's first dim lands in A for legacy broadcasting: {@code axis} (may be negative) or right-aligned; -1 if it does not fit. */
    static int legacyAxis(Long axis, int rankA, int rankB) {
        long a = axis == null ? rankA - rankB : axis < 0 ? axis + rankA : axis;
        return a < 0 || a + rankB > rankA ? -1 : (int) a;
    }

    /** A tensor type with the given element type and the shape of input {@code i}. */
    static ValueType like(InferenceContext ctx, int i, DType dtype) { return new TensorType(dtype, ctx.inputShape(i)); }
}
