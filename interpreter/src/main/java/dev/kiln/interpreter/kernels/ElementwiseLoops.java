package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The loops under the elementwise kernels: map one tensor, or zip broadcast tensors, through a function on
 * doubles (float types) or longs (integer and bool types; unsigned 64-bit values carry their raw bits).
 * Inputs are converted to primitive arrays once so the inner loops stay simple.
 */
final class ElementwiseLoops {
    private ElementwiseLoops() {}

    static Tensor mapDoubles(Tensor x, DoubleUnaryOperator f) {
        double[] v = x.toDoubles();
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(v[i]);
        return Tensor.ofDoubles(x.dtype(), x.shape(), v);
    }

    static Tensor mapLongs(Tensor x, LongUnaryOperator f) {
        long[] v = x.toLongs();
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsLong(v[i]);
        return Tensor.ofLongs(x.dtype(), x.shape(), v);
    }

    /** A bool tensor of {@code shape} from the given truth values. */
    static Tensor bools(long[] shape, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) bytes[i] = (byte) (values[i] ? 1 : 0);
        return Tensor.fromStorage(DType.BOOL, shape, ByteBuffer.wrap(bytes));
    }

    /** The broadcast shape of the inputs, or a kernel error naming the node. */
    static long[] broadcastShape(KernelContext ctx, Tensor... inputs) {
        long[][] shapes = new long[inputs.length][];
        for (int i = 0; i < inputs.length; i++) shapes[i] = inputs[i].shape();
        try {
            return Indexing.broadcastShape(shapes);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** For each output position, the position read from {@code in}; null when {@code in} already has the output's shape. */
    static int[] indexMap(Tensor in, long[] outShape) {
        return Arrays.equals(in.shape(), outShape) ? null : Indexing.broadcastMap(in.shape(), outShape);
    }

    static int at(int[] map, int i) { return map == null ? i : map[i]; }

    static Tensor zipDoubles(KernelContext ctx, Tensor a, Tensor b, DType out, DoubleBinaryOperator f) {
        long[] shape = broadcastShape(ctx, a, b);
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        int[] ma = indexMap(a, shape);
        int[] mb = indexMap(b, shape);
        double[] r = new double[Tensor.checkedSize(shape)];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(x[at(ma, i)], y[at(mb, i)]);
        return Tensor.ofDoubles(out, shape, r);
    }

    static Tensor zipLongs(KernelContext ctx, Tensor a, Tensor b, DType out, LongBinaryOperator f) {
        long[] shape = broadcastShape(ctx, a, b);
        long[] x = a.toLongs();
        long[] y = b.toLongs();
        int[] ma = indexMap(a, shape);
        int[] mb = indexMap(b, shape);
        long[] r = new long[Tensor.checkedSize(shape)];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsLong(x[at(ma, i)], y[at(mb, i)]);
        return Tensor.ofLongs(out, shape, r);
    }

    /** A predicate on two doubles, for comparisons. */
    @FunctionalInterface
    interface DoubleRelation { boolean test(double a, double b); }

    /** A predicate on two longs, for comparisons. */
    @FunctionalInterface
    interface LongRelation { boolean test(long a, long b); }

    static Tensor relateDoubles(KernelContext ctx, Tensor a, Tensor b, DoubleRelation p) {
        long[] shape = broadcastShape(ctx, a, b);
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        int[] ma = indexMap(a, shape);
        int[] mb = indexMap(b, shape);
        boolean[] r = new boolean[Tensor.checkedSize(shape)];
        for (int i = 0; i < r.length; i++) r[i] = p.test(x[at(ma, i)], y[at(mb, i)]);
        return bools(shape, r);
    }

    static Tensor relateLongs(KernelContext ctx, Tensor a, Tensor b, LongRelation p) {
        long[] shape = broadcastShape(ctx, a, b);
        long[] x = a.toLongs();
        long[] y = b.toLongs();
        int[] ma = indexMap(a, shape);
        int[] mb = indexMap(b, shape);
        boolean[] r = new boolean[Tensor.checkedSize(shape)];
        for (int i = 0; i < r.length; i++) r[i] = p.test(x[at(ma, i)], y[at(mb, i)]);
        return bools(shape, r);
    }

    /**
     * Opset 1-6 broadcasting: with {@code broadcast=1}, B's dims line up with A's starting at {@code axis}
     * (right-aligned by default); B is given A's rank with size-1 dims around it so NumPy rules then apply.
     */
    static Tensor legacyAlign(KernelContext ctx, Tensor a, Tensor b) {
        if (ctx.opset() >= 7) return b;
        if (ctx.intAttr("broadcast", 0) == 0) {
            if (!Arrays.equals(a.shape(), b.shape())) {
                throw ctx.fail("shapes " + Shape.format(a.shape()) + " and " + Shape.format(b.shape()) + " differ and broadcast is not set");
            }
            return b;
        }
        int rankA = a.rank();
        int rankB = b.rank();
        long axis = ctx.attr("axis") == null ? rankA - rankB : ctx.intAttr("axis", 0);
        if (axis < 0) axis += rankA;
        if (axis < 0 || axis + rankB > rankA) {
            throw ctx.fail("B" + Shape.format(b.shape()) + " does not fit in A" + Shape.format(a.shape()) + " at axis " + axis);
        }
        long[] aligned = new long[rankA];
        Arrays.fill(aligned, 1);
        for (int i = 0; i < rankB; i++) aligned[(int) axis + i] = b.dim(i);
        return b.reshape(aligned);
    }
}
