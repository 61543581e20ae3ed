package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;

import java.util.Arrays;
import java.util.Map;

import static dev.kiln.interpreter.kernels.GradientArray.matmul;

/** Derivative rules of MatMul and Gemm: for Y = A·B, dA = dY·Bᵀ and dB = Aᵀ·dY. */
final class GradientLinearRules {
    private GradientLinearRules() {}

    static Map<String, GradientRule> rules() {
        return Map.of("MatMul", GradientLinearRules::matMul, "Gemm", GradientLinearRules::gemm);
    }

    /**
     * numpy matmul: a 1-D A is a [1, K] row and a 1-D B a [K, 1] column (the added axis dropped from Y), and batch
     * axes broadcast, so the gradients are summed back over the batch axes an operand was broadcast along.
     */
    private static GradientArray[] matMul(GradientStep step) {
        long[] aShape = step.inputShape(0), bShape = step.inputShape(1);
        GradientArray a = step.input(0), b = step.input(1);
        if (a.rank() == 1) a = a.reshape(new long[] {1, aShape[0]});
        if (b.rank() == 1) b = b.reshape(new long[] {bShape[0], 1});
        long[] as = a.shape(), bs = b.shape();
        long[] batch = Indexing.broadcastShape(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        long[] yShape = Arrays.copyOf(batch, batch.length + 2);
        yShape[batch.length] = as[as.length - 2];
        yShape[batch.length + 1] = bs[bs.length - 1];
        GradientArray g = step.grad(0).reshape(yShape);
        return new GradientArray[] {
                step.wants(0) ? matmul(g, b.transposeLast()).sumTo(as).reshape(aShape) : null,
                step.wants(1) ? matmul(a.transposeLast(), g).sumTo(bs).reshape(bShape) : null};
    }

    /**
     * Y = alpha·A'·B' + beta·C with A' = Aᵀ when transA (B' likewise) and C broadcast to [M, N]. dA' = alpha·dY·B'ᵀ,
     * dB' = alpha·A'ᵀ·dY, transposed back where the operand was transposed; dC = beta·dY summed down to C's shape.
     */
    private static GradientArray[] gemm(GradientStep step) {
        boolean transA = step.intAttr("transA", 0) != 0, transB = step.intAttr("transB", 0) != 0;
        double alpha = step.floatAttr("alpha", 1f), beta = step.floatAttr("beta", 1f);
        GradientArray a = step.input(0), b = step.input(1), g = step.grad(0);
        GradientArray aPrime = transA ? a.transposeLast() : a, bPrime = transB ? b.transposeLast() : b;
        GradientArray[] grads = new GradientArray[step.inputs().size()];
        if (step.wants(0)) {
            GradientArray dAPrime = matmul(g, bPrime.transposeLast());
            grads[0] = (transA ? dAPrime.transposeLast() : dAPrime).map(v -> alpha * v);
        }
        if (step.wants(1)) {
            GradientArray dBPrime = matmul(aPrime.transposeLast(), g);
            grads[1] = (transB ? dBPrime.transposeLast() : dBPrime).map(v -> alpha * v);
        }
        if (step.wants(2)) grads[2] = g.map(v -> beta * v).sumTo(step.inputShape(2));
        return grads;
    }
}
