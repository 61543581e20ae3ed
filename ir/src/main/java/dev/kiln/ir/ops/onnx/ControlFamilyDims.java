package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Dim arithmetic and input checks shared by the schemas of the control/sequence/attention/loss/signal family. */
final class ControlFamilyDims {
    static final Set<DType> FLOATS = Set.of(DType.F32, DType.F64, DType.F16, DType.BF16);

    private ControlFamilyDims() {}

    static Dim mul(Dim a, Dim b) {
        if (a.isStatic() && b.isStatic()) return Dim.of(Math.multiplyExact(a.size(), b.size()));
        if (a.isStatic() && a.size() == 1) return b;
        if (b.isStatic() && b.size() == 1) return a;
        return Dim.UNKNOWN;
    }

    static Dim add(Dim a, Dim b) {
        if (a.isStatic() && b.isStatic()) return Dim.of(Math.addExact(a.size(), b.size()));
        if (a.isStatic() && a.size() == 0) return b;
        if (b.isStatic() && b.size() == 0) return a;
        return Dim.UNKNOWN;
    }

    /** {@code a / divisor} where it is known; unknown otherwise. */
    static Dim div(Dim a, long divisor) {
        if (divisor == 1) return a;
        if (a.isStatic() && divisor > 0 && a.size() % divisor == 0) return Dim.of(a.size() / divisor);
        return Dim.UNKNOWN;
    }

    /** The more precise of two dims that must agree at run time. */
    static Dim merge(Dim a, Dim b) {
        if (a.isStatic()) return a;
        if (b.isStatic()) return b;
        return a.isSymbolic() ? a : b;
    }

    /** Where both shapes must describe the same value: keeps dims they agree on, unknown elsewhere. */
    static Shape join(Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank() || a.rank() != b.rank()) return Shape.UNKNOWN_RANK;
        List<Dim> dims = new ArrayList<>(a.rank());
        for (int i = 0; i < a.rank(); i++) dims.add(a.dim(i).equals(b.dim(i)) ? a.dim(i) : Dim.UNKNOWN);
        return Shape.of(dims);
    }

    /** The least precise type covering both (element types must match); null when they cannot describe one value. */
    static ValueType join(ValueType a, ValueType b) {
        if (a instanceof TensorType ta && b instanceof TensorType tb) {
            return ta.dtype() == tb.dtype() ? new TensorType(ta.dtype(), join(ta.shape(), tb.shape())) : null;
        }
        if (a instanceof dev.kiln.ir.SequenceType sa && b instanceof dev.kiln.ir.SequenceType sb) {
            ValueType e = join(sa.element(), sb.element());
            return e == null ? null : new dev.kiln.ir.SequenceType(e);
        }
        if (a instanceof dev.kiln.ir.OptionalType oa && b instanceof dev.kiln.ir.OptionalType ob) {
            ValueType e = join(oa.element(), ob.element());
            return e == null ? null : new dev.kiln.ir.OptionalType(e);
        }
        return a.equals(b) ? a : null;
    }

    static Shape shape(Dim... dims) { return Shape.of(List.of(dims)); }

    /** Fails unless input {@code i} has one of the {@code allowed} element types. */
    static DType requireDType(InferenceContext ctx, int i, Set<DType> allowed, String what) {
        DType t = ctx.inputDType(i);
        if (!allowed.contains(t)) throw ctx.fail(what + " (input " + i + ") must be one of " + allowed + ", got " + t);
        return t;
    }

    /** Fails unless input {@code i} has a known rank in {@code [min, max]}; returns its shape, or null if unranked. */
    static Shape requireRank(InferenceContext ctx, int i, int min, int max, String what) {
        Shape s = ctx.inputShape(i);
        if (!s.hasRank()) return null;
        if (s.rank() < min || s.rank() > max) {
            throw ctx.fail(what + " (input " + i + ") must have rank " + (min == max ? min : min + " to " + max)
                    + ", got shape " + s);
        }
        return s;
    }

    /** Sizes the node's output list: {@code types} lists every output the op can have; extra ones are dropped. */
    static List<ValueType> forOutputs(InferenceContext ctx, List<ValueType> types) {
        int n = ctx.node().outputs().size();
        if (n > types.size()) throw ctx.fail("has " + n + " outputs, at most " + types.size() + " allowed");
        return List.copyOf(types.subList(0, n));
    }
}
