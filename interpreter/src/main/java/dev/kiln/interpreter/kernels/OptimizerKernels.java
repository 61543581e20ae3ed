package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ai.onnx.preview.training optimizers. Inputs are R (learning rate), T (step count), then equal-length lists
 * X, G and the optimizer's states; outputs are the updated X list, then each updated state list.
 */
final class OptimizerKernels {
    private OptimizerKernels() {}

    /** One update: given x, g and the states, fills the new x and the new states. */
    private interface Rule {
        void apply(double[] x, double[] g, double[][] states, double[] newX, double[][] newStates);
    }

    private static List<RuntimeValue> update(KernelContext ctx, int stateCount, Rule rule) {
        int groups = 2 + stateCount;
        int n = (ctx.inputCount() - 2) / groups;
        if (n < 1 || (ctx.inputCount() - 2) % groups != 0) throw ctx.fail("needs R, T and " + groups + " lists of equal length");
        List<RuntimeValue> xs = new ArrayList<>();
        List<List<RuntimeValue>> stateLists = new ArrayList<>();
        for (int s = 0; s < stateCount; s++) stateLists.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            Tensor x = ctx.input(2 + i);
            double[] g = same(ctx, x, ctx.input(2 + n + i));
            double[][] st = new double[stateCount][], newSt = new double[stateCount][];
            for (int s = 0; s < stateCount; s++) {
                st[s] = same(ctx, x, ctx.input(2 + (2 + s) * n + i));
                newSt[s] = new double[st[s].length];
            }
            double[] newX = new double[x.size()];
            rule.apply(x.toDoubles(), g, st, newX, newSt);
            xs.add(Tensor.ofDoubles(x.dtype(), x.shape(), newX));
            for (int s = 0; s < stateCount; s++) stateLists.get(s).add(Tensor.ofDoubles(x.dtype(), x.shape(), newSt[s]));
        }
        List<RuntimeValue> out = new ArrayList<>(xs);
        stateLists.forEach(out::addAll);
        return out;
    }

    private static double[] same(KernelContext ctx, Tensor x, Tensor other) {
        if (!Arrays.equals(x.shape(), other.shape())) throw ctx.fail("gradient and state tensors must match X's shape");
        return other.toDoubles();
    }

    static List<RuntimeValue> momentum(KernelContext ctx) {
        double r = ctx.input(0).getDouble(0);
        long t = ctx.input(1).getLong(0);
        double alpha = ctx.floatAttr("alpha", 0f), beta = t > 0 ? ctx.floatAttr("beta", 0f) : 1, norm = ctx.floatAttr("norm_coefficient", 0f);
        String mode = ctx.stringAttr("mode", "standard");
        if (!mode.equals("standard") && !mode.equals("nesterov")) throw ctx.fail("mode must be standard or nesterov, got " + mode);
        boolean nesterov = mode.equals("nesterov");
        return update(ctx, 1, (x, g, st, newX, newSt) -> {
            for (int i = 0; i < x.length; i++) {
                double reg = norm * x[i] + g[i];
                double v = alpha * st[0][i] + beta * reg;
                newSt[0][i] = v;
                newX[i] = x[i] - r * (nesterov ? reg + alpha * v : v);
            }
        });
    }

    static List<RuntimeValue> adagrad(KernelContext ctx) {
        double r = ctx.input(0).getDouble(0) / (1 + ctx.input(1).getLong(0) * (double) ctx.floatAttr("decay_factor", 0f));
        double eps = ctx.floatAttr("epsilon", 0f), norm = ctx.floatAttr("norm_coefficient", 0f);
        return update(ctx, 1, (x, g, st, newX, newSt) -> {
            for (int i = 0; i < x.length; i++) {
                double reg = norm * x[i] + g[i];
                double h = st[0][i] + reg * reg;
                newSt[0][i] = h;
                newX[i] = x[i] - r * reg / (Math.sqrt(h) + eps);
            }
        });
    }

    static List<RuntimeValue> adam(KernelContext ctx) {
        double r = ctx.input(0).getDouble(0);
        long t = ctx.input(1).getLong(0);
        double alpha = ctx.floatAttr("alpha", 0.9f), beta = ctx.floatAttr("beta", 0.999f), eps = ctx.floatAttr("epsilon", 0f);
        double norm = ctx.floatAttr("norm_coefficient", 0f), post = ctx.floatAttr("norm_coefficient_post", 0f);
        double adjusted = t > 0 ? r * Math.sqrt(1 - Math.pow(beta, t)) / (1 - Math.pow(alpha, t)) : r;
        return update(ctx, 2, (x, g, st, newX, newSt) -> {
            for (int i = 0; i < x.length; i++) {
                double reg = norm * x[i] + g[i];
                double v = alpha * st[0][i] + (1 - alpha) * reg;
                double h = beta * st[1][i] + (1 - beta) * reg * reg;
                newSt[0][i] = v;
                newSt[1][i] = h;
                newX[i] = (1 - post) * (x[i] - adjusted * v / (Math.sqrt(h) + eps));
            }
        });
    }
}
