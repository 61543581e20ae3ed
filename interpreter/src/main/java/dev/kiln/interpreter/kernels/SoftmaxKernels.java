package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Softmax, LogSoftmax and Hardmax. Before opset 13 they flatten the input to 2-D at {@code axis} (default 1) and
 * normalize each row over all trailing dims; from opset 13 they normalize along the single {@code axis} (default -1).
 */
public final class SoftmaxKernels implements KernelFamily {
    enum Kind { SOFTMAX, LOG_SOFTMAX, HARDMAX }

    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Softmax", ctx -> run(ctx, Kind.SOFTMAX),
                "LogSoftmax", ctx -> run(ctx, Kind.LOG_SOFTMAX),
                "Hardmax", ctx -> run(ctx, Kind.HARDMAX));
    }

    private static List<RuntimeValue> run(KernelContext ctx, Kind kind) {
        Tensor x = ctx.input(0);
        boolean flatten = ctx.opset() < 13;
        int rank = x.rank();
        int axis = rank == 0 ? 0 : NormalizationKernels.axis(ctx, ctx.intAttr("axis", flatten ? 1 : -1), rank);
        long[] shape = x.shape();
        // the normalized run of n elements sits at stride `inner` inside blocks of `outer`
        int n = 1;
        int inner = 1;
        if (flatten) {
            for (int a = axis; a < rank; a++) n *= (int) shape[a];
        } else if (rank > 0) {
            n = (int) shape[axis];
            for (int a = axis + 1; a < rank; a++) inner *= (int) shape[a];
        }
        int outer = n * inner == 0 ? 0 : x.size() / (n * inner);
        double[] data = x.toDoubles();
        double[] y = new double[data.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) normalize(data, y, o * n * inner + i, n, inner, kind);
        }
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    static void normalize(double[] x, double[] y, int off, int n, int stride, Kind kind) {
        double max = Double.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int k = 0; k < n; k++) {
            double v = x[off + k * stride];
            if (v > max) {
                max = v;
                argmax = k;
            }
        }
        if (kind == Kind.HARDMAX) {
            for (int k = 0; k < n; k++) y[off + k * stride] = k == argmax ? 1 : 0;
            return;
        }
        double sum = 0;
        for (int k = 0; k < n; k++) sum += Math.exp(x[off + k * stride] - max);
        double logSum = Math.log(sum);
        for (int k = 0; k < n; k++) {
            double shifted = x[off + k * stride] - max;
            y[off + k * stride] = kind == Kind.SOFTMAX ? Math.exp(shifted) / sum : shifted - logSum;
        }
    }
}
