package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense row-major array of doubles with a shape: the values and gradients the Gradient op's back-propagation works
 * on, whatever the tensors' element type (double keeps f16/f32 gradients exact enough to round once at the end).
 * Immutable by convention: every operation returns a new array.
 */
final class GradientArray {
    /** Three-argument elementwise function, e.g. (incoming gradient, input, output) to input gradient. */
    @FunctionalInterface
    interface Ternary {
        double apply(double a, double b, double c);
    }

    private final long[] shape;
    private final double[] data;

    GradientArray(long[] shape, double[] data) {
        if (Indexing.product(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Shape.format(shape) + " does not hold " + data.length + " elements");
        }
        this.shape = shape.clone();
        this.data = data;
    }

    static GradientArray of(Tensor t) { return new GradientArray(t.shape(), t.toDoubles()); }

    static GradientArray filled(long[] shape, double value) {
        double[] d = new double[Tensor.checkedSize(shape)];
        Arrays.fill(d, value);
        return new GradientArray(shape, d);
    }

    long[] shape() { return shape.clone(); }

    int rank() { return shape.length; }

    Tensor toTensor(DType dtype) { return Tensor.ofDoubles(dtype, shape, data); }

    GradientArray reshape(long[] newShape) { return new GradientArray(newShape, data); }

    GradientArray map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(data[i]);
        return new GradientArray(shape, out);
    }

    GradientArray plus(GradientArray o) {
        requireSameShape(o);
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) out[i] = data[i] + o.data[i];
        return new GradientArray(shape, out);
    }

    /** {@code f(a[i], b[i], c[i])} for arrays of one shape. */
    static GradientArray zip(GradientArray a, GradientArray b, GradientArray c, Ternary f) {
        a.requireSameShape(b);
        a.requireSameShape(c);
        double[] out = new double[a.data.length];
        for (int i = 0; i < out.length; i++) out[i] = f.apply(a.data[i], b.data[i], c.data[i]);
        return new GradientArray(a.shape, out);
    }

    /** This array broadcast (numpy rules) to {@code target}. */
    GradientArray broadcastTo(long[] target) {
        if (Arrays.equals(shape, target)) return this;
        int[] map = Indexing.broadcastMap(shape, target);
        double[] out = new double[map.length];
        for (int i = 0; i < out.length; i++) out[i] = data[map[i]];
        return new GradientArray(target, out);
    }

    /**
     * The adjoint of {@link #broadcastTo}: sums this array (of a broadcast shape) down to {@code target}, the shape
     * of the input that was broadcast. This is how an input's gradient is recovered from the output's.
     */
    GradientArray sumTo(long[] target) {
        if (Arrays.equals(shape, target)) return this;
        if (!Arrays.equals(Indexing.broadcastShape(target, shape), shape)) {
            throw new IllegalArgumentException("cannot sum " + Shape.format(shape) + " down to " + Shape.format(target));
        }
        int[] map = Indexing.broadcastMap(target, shape);
        double[] out = new double[Tensor.checkedSize(target)];
        for (int i = 0; i < map.length; i++) out[map[i]] += data[i];
        return new GradientArray(target, out);
    }

    /** Axes permuted: output axis {@code i} is input axis {@code perm[i]}. */
    GradientArray transpose(int[] perm) {
        int rank = shape.length;
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) outShape[i] = shape[perm[i]];
        long[] inStrides = Indexing.strides(shape);
        double[] out = new double[data.length];
        long[] idx = new long[rank];
        for (int flat = 0; flat < out.length; flat++) {
            long src = 0;
            for (int i = 0; i < rank; i++) src += idx[i] * inStrides[perm[i]];
            out[flat] = data[(int) src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) break;
                idx[i] = 0;
            }
        }
        return new GradientArray(outShape, out);
    }

    /** The last two axes swapped (rank ≥ 2). */
    GradientArray transposeLast() {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return transpose(perm);
    }

    /**
     * Batched matrix product of arrays of rank ≥ 2, the leading (batch) axes broadcast as in numpy: the result's shape
     * is the broadcast batch shape followed by [M, N].
     */
    static GradientArray matmul(GradientArray a, GradientArray b) {
        if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("matmul needs rank ≥ 2 operands");
        int m = (int) a.shape[a.rank() - 2], k = (int) a.shape[a.rank() - 1], n = (int) b.shape[b.rank() - 1];
        if (b.shape[b.rank() - 2] != k) {
            throw new IllegalArgumentException("matmul inner dims differ: " + Shape.format(a.shape) + " and " + Shape.format(b.shape));
        }
        long[] aBatch = Arrays.copyOf(a.shape, a.rank() - 2), bBatch = Arrays.copyOf(b.shape, b.rank() - 2);
        long[] batch = Indexing.broadcastShape(aBatch, bBatch);
        int[] aMap = Indexing.broadcastMap(aBatch, batch), bMap = Indexing.broadcastMap(bBatch, batch);
        long[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        double[] out = new double[Tensor.checkedSize(outShape)];
        for (int t = 0; t < aMap.length; t++) {
            int aOff = aMap[t] * m * k, bOff = bMap[t] * k * n, oOff = t * m * n;
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double av = a.data[aOff + i * k + p];
                    for (int j = 0; j < n; j++) out[oOff + i * n + j] += av * b.data[bOff + p * n + j];
                }
            }
        }
        return new GradientArray(outShape, out);
    }

    private void requireSameShape(GradientArray o) {
        if (!Arrays.equals(shape, o.shape)) {
            throw new IllegalArgumentException("shapes differ: " + Shape.format(shape) + " and " + Shape.format(o.shape));
        }
    }
}
