package dev.kiln.passes.fusion;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/**
 * The weight arithmetic of folding an affine per-channel map {@code y * s[c] + t[c]} into the op producing y. All
 * sums and products are in double; results are stored in the weight's dtype.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** Conv weight {@code [M, C/group, k...]}: output channel m is axis 0. */
    public static Tensor scaleConvWeight(Tensor w, double[] s) {
        long perChannel = w.size() / w.dim(0);
        double[] v = w.toDoubles();
        for (int i = 0; i < v.length; i++) v[i] *= s[(int) (i / perChannel)];
        return Tensor.ofDoubles(w.dtype(), w.shape(), v);
    }

    /**
     * ConvTranspose weight {@code [C, M/group, k...]}: the output channel of element (ci, j, ...) is
     * {@code (ci / (C/group)) * (M/group) + j}.
     */
    public static Tensor scaleConvTransposeWeight(Tensor w, long group, double[] s) {
        long inChannels = w.dim(0);
        long perGroupOut = w.dim(1);
        long kernelVolume = w.size() / (inChannels * perGroupOut);
        long inPerGroup = inChannels / group;
        double[] v = w.toDoubles();
        for (int i = 0; i < v.length; i++) {
            long ci = i / (perGroupOut * kernelVolume);
            long j = (i / kernelVolume) % perGroupOut;
            v[i] *= s[(int) ((ci / inPerGroup) * perGroupOut + j)];
        }
        return Tensor.ofDoubles(w.dtype(), w.shape(), v);
    }

    /** A 2-D weight whose output column is axis 1 ({@code [K, N]}), or axis 0 when {@code transposed} ({@code [N, K]}). */
    public static Tensor scaleMatrix(Tensor b, boolean transposed, double[] s) {
        long cols = b.dim(1);
        double[] v = b.toDoubles();
        for (int i = 0; i < v.length; i++) v[i] *= s[(int) (transposed ? i / cols : i % cols)];
        return Tensor.ofDoubles(b.dtype(), b.shape(), v);
    }

    /** The new per-channel bias {@code factor * bias[c] * s[c] + t[c]} (bias null or one value broadcast). */
    public static Tensor bias(DType dtype, Tensor bias, double factor, BatchNormParams p) {
        int c = p.channels();
        double[] v = new double[c];
        for (int k = 0; k < c; k++) {
            double b = bias == null ? 0 : bias.getDouble(bias.size() == 1 ? 0 : k);
            v[k] = factor * b * p.scale()[k] + p.shift()[k];
        }
        return Tensor.ofDoubles(dtype, new long[] {c}, v);
    }

    /** Gemm's full {@code [rows, N]} C: {@code factor * C[r, n] * s[n] + t[n]}. */
    public static Tensor fullBias(Tensor c, double factor, BatchNormParams p) {
        int n = p.channels();
        double[] v = c.toDoubles();
        for (int i = 0; i < v.length; i++) v[i] = factor * v[i] * p.scale()[i % n] + p.shift()[i % n];
        return Tensor.ofDoubles(c.dtype(), c.shape(), v);
    }

    /** A per-channel vector as a tensor of {@code rank} dims, {@code [C, 1, ...]}, broadcasting over axis 1 of a rank+1 input. */
    public static Tensor channelVector(DType dtype, double[] values, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[0] = values.length;
        return Tensor.ofDoubles(dtype, shape, values.clone());
    }
}
