package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/** LpNormalization, MeanVarianceNormalization and LRN. */
final class LocalNormalizationKernels {
    /** MeanVarianceNormalization's function body adds this to the standard deviation. */
    private static final double MVN_EPSILON = 1e-9;

    private LocalNormalizationKernels() {}

    /** {@code y = x / ||x||_p} along one axis (p is 1 or 2). */
    static List<RuntimeValue> lpNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long p = ctx.intAttr("p", 2);
        if (p != 1 && p != 2) throw ctx.fail("p must be 1 or 2, got " + p);
        int axis = NormalizationKernels.axis(ctx, ctx.intAttr("axis", -1), x.rank());
        long[] shape = x.shape();
        int n = (int) shape[axis];
        int inner = (int) Indexing.product(java.util.Arrays.copyOfRange(shape, axis + 1, shape.length));
        int outer = n * inner == 0 ? 0 : x.size() / (n * inner);
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double norm = 0;
                for (int k = 0; k < n; k++) {
                    double v = data[base + k * inner];
                    norm += p == 1 ? Math.abs(v) : v * v;
                }
                if (p == 2) norm = Math.sqrt(norm);
                if (norm == 0) norm = 1; // an all-zero run stays zero rather than becoming NaN, as ONNX's reference does
                for (int k = 0; k < n; k++) y[base + k * inner] = data[base + k * inner] / norm;
            }
        }
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    /** {@code y = (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9)} with expectations over {@code axes}. */
    static List<RuntimeValue> meanVarianceNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] shape = x.shape();
        boolean[] reduced = new boolean[shape.length];
        for (long a : ctx.intsAttr("axes")) reduced[NormalizationKernels.axis(ctx, a, shape.length)] = true;
        long[] kept = shape.clone();
        for (int a = 0; a < shape.length; a++) if (reduced[a]) kept[a] = 1;
        int[] group = Indexing.broadcastMap(kept, shape);
        int groups = (int) Indexing.product(kept);
        double[] data = x.toDoubles();
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        for (int i = 0; i < data.length; i++) {
            sum[group[i]] += data[i];
            sq[group[i]] += data[i] * data[i];
        }
        double count = groups == 0 ? 1 : (double) data.length / groups;
        double[] y = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            double mean = sum[group[i]] / count;
            double std = Math.sqrt(Math.max(0, sq[group[i]] / count - mean * mean));
            y[i] = (data[i] - mean) / (std + MVN_EPSILON);
        }
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    /**
     * Local response normalization across channels: {@code y = x / (bias + alpha / size * sum of x^2 over the
     * channels c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta}.
     */
    static List<RuntimeValue> lrn(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() < 3) throw ctx.fail("input must have rank >= 3, got " + x.type());
        long size = ctx.intAttr("size", 0);
        if (size < 1) throw ctx.fail("size must be positive, got " + size);
        double alpha = ctx.floatAttr("alpha", 1e-4f);
        double beta = ctx.floatAttr("beta", 0.75f);
        double bias = ctx.floatAttr("bias", 1f);
        int channels = (int) x.dim(1);
        int inner = x.size() == 0 ? 0 : x.size() / (int) (x.dim(0) * channels);
        int below = (int) ((size - 1) / 2);
        int above = (int) (size - 1 - below);
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < channels; c++) {
                int lo = Math.max(0, c - below);
                int hi = Math.min(channels - 1, c + above);
                for (int i = 0; i < inner; i++) {
                    double sum = 0;
                    for (int k = lo; k <= hi; k++) {
                        double v = data[(n * channels + k) * inner + i];
                        sum += v * v;
                    }
                    int at = (n * channels + c) * inner + i;
                    y[at] = data[at] / Math.pow(bias + alpha / size * sum, beta);
                }
            }
        }
        return List.of(NnTensors.of(x.dtype(), x.shape(), y));
    }
}
