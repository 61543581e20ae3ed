package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** Gemm: {@code Y = alpha * op(A) * op(B) + beta * C}, op transposing when transA/transB is set, C broadcast to [M, N]. */
final class GemmKernel {
    private GemmKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        if (a.rank() != 2 || b.rank() != 2) throw ctx.fail("A and B must be matrices, got " + a.type() + " and " + b.type());
        boolean ta = ctx.intAttr("transA", 0) != 0;
        boolean tb = ctx.intAttr("transB", 0) != 0;
        int m = (int) a.dim(ta ? 1 : 0);
        int k = (int) a.dim(ta ? 0 : 1);
        int n = (int) b.dim(tb ? 0 : 1);
        if (b.dim(tb ? 1 : 0) != k) throw ctx.fail("inner dims differ: A " + a.type() + ", B " + b.type());
        double alpha = ctx.floatAttr("alpha", 1f);
        double beta = ctx.floatAttr("beta", 1f);
        double[] av = a.toDoubles();
        if (ta) av = NnGemm.transpose(av, 0, k, m);
        double[] bv = b.toDoubles();
        double[] y = new double[m * n];
        if (tb) NnGemm.multiplyTransposedB(m, n, k, av, 0, k, bv, 0, k, y, 0, n);
        else NnGemm.multiply(m, n, k, av, 0, k, bv, 0, n, y, 0, n);
        if (alpha != 1) for (int i = 0; i < y.length; i++) y[i] *= alpha;
        long[] shape = {m, n};
        if (ctx.hasInput(2) && beta != 0) {
            Tensor c = ctx.input(2);
            long[] target;
            try {
                target = Indexing.broadcastShape(c.shape(), shape);
            } catch (IllegalArgumentException e) {
                target = null;
            }
            if (!Arrays.equals(target, shape)) throw ctx.fail("C " + c.type() + " does not broadcast to [" + m + "," + n + "]");
            double[] cv = c.toDoubles();
            int[] map = Indexing.broadcastMap(c.shape(), shape);
            for (int i = 0; i < y.length; i++) y[i] += beta * cv[map[i]];
        }
        return List.of(NnTensors.of(a.dtype(), shape, y));
    }
}
