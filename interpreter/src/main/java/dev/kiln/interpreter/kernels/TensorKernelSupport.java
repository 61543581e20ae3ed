package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** Helpers shared by the tensor op kernels (layout, indexing, reduction, resampling). */
final class TensorKernelSupport {
    private TensorKernelSupport() {}

    static List<RuntimeValue> one(Tensor t) { return List.of(t); }

    /** Input {@code i} as integers; fails unless it is an integer tensor. */
    static long[] longs(KernelContext ctx, int i, String what) {
        Tensor t = ctx.input(i);
        if (!t.dtype().isInteger()) throw ctx.fail(what + " must be an integer tensor, got " + t.dtype());
        return t.toLongs();
    }

    /** Input {@code i} as integers, or null when the optional input is absent. */
    static long[] optionalLongs(KernelContext ctx, int i, String what) {
        return ctx.hasInput(i) ? longs(ctx, i, what) : null;
    }

    /** The single value of a scalar (or one-element) integer input. */
    static long scalarLong(KernelContext ctx, int i, String what) {
        long[] v = longs(ctx, i, what);
        if (v.length != 1) throw ctx.fail(what + " must hold one value, got " + v.length);
        return v[0];
    }

    static int axis(KernelContext ctx, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    /** Normalized axes, failing on out-of-range or repeated ones. */
    static int[] axes(KernelContext ctx, long[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(ctx, axes[i], rank);
            if (seen[out[i]]) throw ctx.fail("axis " + axes[i] + " is repeated in " + Arrays.toString(axes));
            seen[out[i]] = true;
        }
        return out;
    }

    static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) a[i] = i;
        return a;
    }

    /** An index into an axis of size {@code dim}, negative counting from the end; fails when out of range. */
    static int index(KernelContext ctx, long i, long dim, String what) {
        long j = i < 0 ? i + dim : i;
        if (j < 0 || j >= dim) throw ctx.fail(what + " " + i + " is out of range for a dim of " + dim);
        return (int) j;
    }

    /** The element count of a shape, failing (rather than overflowing) when too large. */
    static int size(KernelContext ctx, long[] shape) {
        try {
            return Tensor.checkedSize(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.fail("output shape " + Shape.format(shape) + " is invalid or too large");
        }
    }

    /** For each element of the transpose of a {@code shape} tensor by {@code perm}: its source flat index. */
    static int[] transposeMap(long[] shape, int[] perm) {
        int rank = shape.length;
        long[] strides = Indexing.strides(shape);
        long[] outShape = new long[rank];
        long[] outStrides = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            outStrides[i] = strides[perm[i]];
        }
        int n = (int) Indexing.product(shape);
        int[] map = new int[n];
        long[] idx = new long[rank];
        long off = 0;
        for (int flat = 0; flat < n; flat++) {
            map[flat] = (int) off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    off += outStrides[d];
                    break;
                }
                off -= (idx[d] - 1) * outStrides[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /**
     * The source flat index of each output element when every output axis reads its own source axis through a
     * lookup: {@code axisSources[d][j]} is the source index along axis d of output index j there, or -1 where
     * the output element has no source (it then maps to -1).
     */
    static int[] mapFromAxes(long[] inShape, long[] outShape, int[][] axisSources) {
        int rank = outShape.length;
        long[] strides = Indexing.strides(inShape);
        int n = (int) Indexing.product(outShape);
        int[] map = new int[n];
        long[] idx = new long[rank];
        for (int flat = 0; flat < n; flat++) {
            long src = 0;
            for (int d = 0; d < rank; d++) {
                int s = axisSources[d][(int) idx[d]];
                if (s < 0) {
                    src = -1;
                    break;
                }
                src += s * strides[d];
            }
            map[flat] = (int) src;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) break;
                idx[d] = 0;
            }
        }
        return map;
    }

    /** The identity lookup of an axis of size {@code n}, for {@link #mapFromAxes}. */
    static int[] identity(long n) {
        int[] a = new int[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    static long[] permute(long[] shape, int[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = shape[perm[i]];
        return out;
    }

    /**
     * Splits a shape around {@code axis} into (outer, dim, inner) counts, the usual view of an op working along
     * one axis: element (o, k, i) is at {@code (o * dim + k) * inner + i}.
     */
    static int[] aroundAxis(long[] shape, int axis) {
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        return new int[] {(int) outer, (int) shape[axis], (int) inner};
    }

    /** Fails unless the tensor's elements are numbers (ints or floats). */
    static void requireNumeric(KernelContext ctx, Tensor t, String what) {
        if (!t.dtype().isFloat() && !t.dtype().isInteger()) throw ctx.fail(what + " must be numeric, got " + t.dtype());
    }

    /** A total order on the elements of one tensor, by flat index. */
    @FunctionalInterface
    interface ElementOrder {
        int compare(int i, int j);
    }

    /**
     * The natural order of a tensor's elements, read once up front: numbers by value (unsigned types unsigned,
     * -0 equal to 0, NaN after everything), bools false first, strings by code point.
     */
    static ElementOrder order(Tensor t) {
        DType d = t.dtype();
        if (d == DType.STRING) {
            String[] s = t.toStrings();
            return (i, j) -> s[i].compareTo(s[j]);
        }
        if (d.isFloat()) {
            double[] v = t.toDoubles();
            return (i, j) -> v[i] < v[j] ? -1 : v[i] > v[j] ? 1 : Boolean.compare(Double.isNaN(v[i]), Double.isNaN(v[j]));
        }
        if (d.kind() == DType.Kind.COMPLEX) throw new IllegalArgumentException("complex numbers have no order");
        long[] v = t.toLongs();
        if (d == DType.U64) return (i, j) -> Long.compareUnsigned(v[i], v[j]);
        return (i, j) -> Long.compare(v[i], v[j]);
    }
}
