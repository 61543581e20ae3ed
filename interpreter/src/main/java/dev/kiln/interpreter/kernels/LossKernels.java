package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss. Element losses are {@code -x[n, t, d...]·w[t]} (zero, with
 * zero weight, where the target equals ignore_index); "mean" divides the sum by the summed weights, as ONNX does.
 */
public final class LossKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("NegativeLogLikelihoodLoss", LossKernels::nll, "SoftmaxCrossEntropyLoss", LossKernels::softmaxCrossEntropy);
    }

    private static List<RuntimeValue> nll(KernelContext ctx) {
        Tensor input = ctx.input(0);
        return List.of(loss(ctx, input, input.toDoubles()));
    }

    private static List<RuntimeValue> softmaxCrossEntropy(KernelContext ctx) {
        Tensor scores = ctx.input(0);
        if (scores.rank() < 2) throw ctx.fail("scores must have rank >= 2, got " + scores.rank());
        double[] logProb = scores.toDoubles();
        int n = (int) scores.dim(0), c = (int) scores.dim(1), inner = scores.size() / Math.max(1, n * c);
        for (int b = 0; b < n; b++) {
            for (int d = 0; d < inner; d++) {
                int base = b * c * inner + d;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) max = Math.max(max, logProb[base + k * inner]);
                double sum = 0;
                for (int k = 0; k < c; k++) sum += Math.exp(logProb[base + k * inner] - max);
                double logSum = max + Math.log(sum);
                for (int k = 0; k < c; k++) logProb[base + k * inner] -= logSum;
            }
        }
        Tensor loss = loss(ctx, scores, logProb);
        return List.of(loss, Tensor.ofDoubles(scores.dtype(), scores.shape(), logProb));
    }

    /** The NLL loss of log-probabilities {@code x} laid out as {@code like}'s [N, C, d...]. */
    private static Tensor loss(KernelContext ctx, Tensor like, double[] x) {
        Tensor target = ctx.input(1);
        long[] shape = like.shape();
        if (shape.length < 2) throw ctx.fail("input must have rank >= 2 (N, C, ...)");
        long[] targetShape = new long[shape.length - 1];
        targetShape[0] = shape[0];
        System.arraycopy(shape, 2, targetShape, 1, shape.length - 2);
        if (!Arrays.equals(target.shape(), targetShape)) {
            throw ctx.fail("target shape " + Arrays.toString(target.shape()) + " does not match " + Arrays.toString(targetShape));
        }
        int n = (int) shape[0], c = (int) shape[1], inner = target.size() / Math.max(1, n);
        double[] weight = ctx.hasInput(2) ? ctx.input(2).toDoubles() : null;
        if (weight != null && weight.length != c) throw ctx.fail("weight must have " + c + " entries, got " + weight.length);
        Attribute ignoreAttr = ctx.attr("ignore_index");
        Long ignore = ignoreAttr == null ? null : ignoreAttr.asInt();
        double[] losses = new double[target.size()];
        double lossSum = 0, weightSum = 0;
        for (int b = 0; b < n; b++) {
            for (int d = 0; d < inner; d++) {
                int i = b * inner + d;
                long t = target.getLong(i);
                if (ignore != null && t == ignore) continue;
                if (t < 0 || t >= c) throw ctx.fail("target " + t + " is outside [0, " + c + ")");
                double w = weight == null ? 1 : weight[(int) t];
                losses[i] = -x[(b * c + (int) t) * inner + d] * w;
                lossSum += losses[i];
                weightSum += w;
            }
        }
        String reduction = ctx.stringAttr("reduction", "mean");
        return switch (reduction) {
            case "none" -> Tensor.ofDoubles(like.dtype(), targetShape, losses);
            case "sum" -> Tensor.scalar(like.dtype(), lossSum);
            case "mean" -> Tensor.scalar(like.dtype(), lossSum / weightSum);
            default -> throw ctx.fail("unknown reduction '" + reduction + "'");
        };
    }
}
