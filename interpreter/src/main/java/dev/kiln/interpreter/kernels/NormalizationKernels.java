package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Normalizations that standardize over whole axes: batch, instance, layer, group and RMS normalization. */
public final class NormalizationKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "BatchNormalization", NormalizationKernels::batchNorm,
                "InstanceNormalization", NormalizationKernels::instanceNorm,
                "LayerNormalization", NormalizationKernels::layerNorm,
                "GroupNormalization", NormalizationKernels::groupNorm,
                "RMSNormalization", NormalizationKernels::rmsNorm,
                "LpNormalization", LocalNormalizationKernels::lpNorm,
                "MeanVarianceNormalization", LocalNormalizationKernels::meanVarianceNorm,
                "LRN", LocalNormalizationKernels::lrn);
    }

    /**
     * Inference: {@code y = scale * (x - mean) / sqrt(var + eps) + B} per channel. Training mode (opset 14's
     * training_mode, or extra outputs with is_test unset before that) normalizes with the batch's own statistics and
     * returns the running statistics blended by momentum.
     */
    private static List<RuntimeValue> batchNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + x.type());
        int batch = (int) x.dim(0);
        int channels = (int) x.dim(1);
        int inner = channels == 0 || batch == 0 ? 0 : x.size() / (batch * channels);
        // spatial=0 (opsets 7 to 8) gives parameters per channel and position instead of per channel
        int params = ctx.input(1).size();
        if (params != channels && params != channels * inner) throw ctx.fail("scale has " + params + " values for " + channels + " channels");
        int stride = params == channels ? inner : 1;
        double[] scale = ctx.input(1).toDoubles();
        double[] bias = sized(ctx, 2, params);
        double[] mean = sized(ctx, 3, params);
        double[] var = sized(ctx, 4, params);
        double eps = ctx.floatAttr("epsilon", 1e-5f);
        boolean training = ctx.opset() >= 14 ? ctx.intAttr("training_mode", 0) != 0
                : ctx.outputCount() > 1 && ctx.intAttr("is_test", 0) == 0;
        double[] data = x.toDoubles();
        double[] batchMean = mean;
        double[] batchVar = var;
        if (training) {
            batchMean = new double[params];
            batchVar = new double[params];
            double count = (double) data.length / params;
            for (int i = 0; i < data.length; i++) batchMean[param(i, inner, channels, stride)] += data[i];
            for (int p = 0; p < params; p++) batchMean[p] /= count;
            for (int i = 0; i < data.length; i++) {
                double d = data[i] - batchMean[param(i, inner, channels, stride)];
                batchVar[param(i, inner, channels, stride)] += d * d;
            }
            for (int p = 0; p < params; p++) batchVar[p] /= count;
        }
        double[] y = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            int p = param(i, inner, channels, stride);
            y[i] = scale[p] * (data[i] - batchMean[p]) / Math.sqrt(batchVar[p] + eps) + bias[p];
        }
        List<RuntimeValue> outs = new ArrayList<>();
        outs.add(NnTensors.of(x.dtype(), x.shape(), y));
        if (ctx.outputCount() > 1) {
            double momentum = ctx.floatAttr("momentum", 0.9f);
            double[] runningMean = new double[params];
            double[] runningVar = new double[params];
            for (int p = 0; p < params; p++) {
                runningMean[p] = mean[p] * momentum + batchMean[p] * (1 - momentum);
                runningVar[p] = var[p] * momentum + batchVar[p] * (1 - momentum);
            }
            DType statType = ctx.input(3).dtype();
            long[] shape = ctx.input(3).shape();
            for (double[] stat : List.of(runningMean, runningVar, batchMean, batchVar)) {
                if (outs.size() < ctx.outputCount()) outs.add(NnTensors.of(statType, shape, stat));
            }
        }
        return outs;
    }

    private static int param(int i, int inner, int channels, int stride) {
        return stride == 1 ? i % (channels * inner) : (i / inner) % channels;
    }

    private static double[] sized(KernelContext ctx, int i, int n) {
        Tensor t = ctx.input(i);
        if (t.size() != n) throw ctx.fail("input " + i + " must have " + n + " values, got " + t.type());
        return t.toDoubles();
    }

    private static List<RuntimeValue> instanceNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() < 3) throw ctx.fail("input must have rank >= 3, got " + x.type());
        int channels = (int) x.dim(1);
        double[] scale = sized(ctx, 1, channels);
        double[] bias = sized(ctx, 2, channels);
        double eps = ctx.floatAttr("epsilon", 1e-5f);
        int planes = (int) (x.dim(0) * channels);
        int volume = planes == 0 ? 0 : x.size() / planes;
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int p = 0; p < planes; p++) {
            int c = p % channels;
            standardize(data, y, p * volume, volume, 1, eps, scale[c], bias[c]);
        }
        return List.of(NnTensors.of(x.dtype(), x.shape(), y));
    }

    /**
     * Standardizes {@code count} elements starting at {@code off} with the given stride (population variance),
     * then applies one scale and bias; returns {mean, 1/sqrt(var + eps)}.
     */
    private static double[] standardize(double[] x, double[] y, int off, int count, int stride, double eps, double scale, double bias) {
        double sum = 0;
        for (int i = 0; i < count; i++) sum += x[off + i * stride];
        double mean = sum / count;
        double sq = 0;
        for (int i = 0; i < count; i++) {
            double d = x[off + i * stride] - mean;
            sq += d * d;
        }
        double inv = 1 / Math.sqrt(sq / count + eps);
        for (int i = 0; i < count; i++) y[off + i * stride] = (x[off + i * stride] - mean) * inv * scale + bias;
        return new double[] {mean, inv};
    }

    /** Standardizes over the axes from {@code axis} on; scale and B broadcast over those axes. */
    private static List<RuntimeValue> layerNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int axis = axis(ctx, ctx.intAttr("axis", -1), x.rank());
        long[] normalized = Arrays.copyOfRange(x.shape(), axis, x.rank());
        int inner = (int) Indexing.product(normalized);
        int outer = inner == 0 ? 0 : x.size() / inner;
        double[] scale = broadcastTo(ctx, 1, normalized);
        double[] bias = ctx.hasInput(2) ? broadcastTo(ctx, 2, normalized) : new double[inner];
        double eps = ctx.floatAttr("epsilon", 1e-5f);
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        double[] means = new double[outer];
        double[] invStd = new double[outer];
        for (int o = 0; o < outer; o++) {
            double[] stats = standardize(data, y, o * inner, inner, 1, eps, 1, 0);
            means[o] = stats[0];
            invStd[o] = stats[1];
            for (int i = 0; i < inner; i++) y[o * inner + i] = y[o * inner + i] * scale[i] + bias[i];
        }
        List<RuntimeValue> outs = new ArrayList<>();
        outs.add(NnTensors.of(x.dtype(), x.shape(), y));
        long[] statShape = x.shape();
        Arrays.fill(statShape, axis, statShape.length, 1);
        DType stash = DType.fromOnnxCode((int) ctx.intAttr("stash_type", 1));
        if (ctx.outputCount() > 1) outs.add(NnTensors.of(stash, statShape, means));
        if (ctx.outputCount() > 2) outs.add(NnTensors.of(stash, statShape, invStd));
        return outs;
    }

    /** Input {@code i} broadcast (numpy rules) to {@code shape}, flat. */
    static double[] broadcastTo(KernelContext ctx, int i, long[] shape) {
        Tensor t = ctx.input(i);
        long[] target;
        try {
            target = Indexing.broadcastShape(t.shape(), shape);
        } catch (IllegalArgumentException e) {
            throw ctx.fail("input " + i + " " + t.type() + " does not broadcast to " + Arrays.toString(shape));
        }
        if (!Arrays.equals(target, shape)) throw ctx.fail("input " + i + " " + t.type() + " does not broadcast to " + Arrays.toString(shape));
        double[] v = t.toDoubles();
        int[] map = Indexing.broadcastMap(t.shape(), shape);
        double[] out = new double[map.length];
        for (int k = 0; k < map.length; k++) out[k] = v[map[k]];
        return out;
    }

    static int axis(KernelContext ctx, long axis, int rank) {
        try {
            return Indexing.axis(axis, rank);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** Standardizes each group of C/num_groups channels; scale and bias are per channel (per group before opset 21). */
    private static List<RuntimeValue> groupNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + x.type());
        long groups = ctx.intAttr("num_groups", 0);
        int channels = (int) x.dim(1);
        if (groups < 1 || channels % groups != 0) throw ctx.fail("num_groups " + groups + " does not divide " + channels + " channels");
        int perGroup = channels / (int) groups;
        int scaleSize = ctx.input(1).size();
        boolean perChannel = scaleSize == channels;
        if (!perChannel && scaleSize != groups) throw ctx.fail("scale must have " + channels + " (or num_groups) values, got " + scaleSize);
        double[] scale = sized(ctx, 1, scaleSize);
        double[] bias = sized(ctx, 2, scaleSize);
        double eps = ctx.floatAttr("epsilon", 1e-5f);
        int batch = (int) x.dim(0);
        int inner = batch * channels == 0 ? 0 : x.size() / (batch * channels);
        int span = perGroup * inner;
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int n = 0; n < batch; n++) {
            for (int g = 0; g < groups; g++) {
                int off = (n * (int) groups + g) * span;
                standardize(data, y, off, span, 1, eps, 1, 0);
                for (int c = 0; c < perGroup; c++) {
                    int p = perChannel ? g * perGroup + c : g;
                    for (int i = 0; i < inner; i++) {
                        int at = off + c * inner + i;
                        y[at] = y[at] * scale[p] + bias[p];
                    }
                }
            }
        }
        return List.of(NnTensors.of(x.dtype(), x.shape(), y));
    }

    /** {@code y = x / sqrt(mean(x^2) + eps) * scale} over the axes from {@code axis} on. */
    private static List<RuntimeValue> rmsNorm(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int axis = axis(ctx, ctx.intAttr("axis", -1), x.rank());
        long[] normalized = Arrays.copyOfRange(x.shape(), axis, x.rank());
        int inner = (int) Indexing.product(normalized);
        int outer = inner == 0 ? 0 : x.size() / inner;
        double[] scale = broadcastTo(ctx, 1, normalized);
        double eps = ctx.floatAttr("epsilon", 1e-5f);
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int o = 0; o < outer; o++) {
            double sq = 0;
            for (int i = 0; i < inner; i++) sq += data[o * inner + i] * data[o * inner + i];
            double inv = 1 / Math.sqrt(sq / inner + eps);
            for (int i = 0; i < inner; i++) y[o * inner + i] = data[o * inner + i] * inv * scale[i];
        }
        return List.of(NnTensors.of(x.dtype(), x.shape(), y));
    }
}
