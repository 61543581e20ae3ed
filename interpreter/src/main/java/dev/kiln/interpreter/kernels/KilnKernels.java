package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reference kernels of domain {@code kiln} (the ops graph passes introduce; semantics in
 * {@code dev.kiln.ir.ops.kiln.KilnOps}). Gelu and LayerNormalization run the ONNX kernels; Attention chains the
 * MatMul and Softmax cores; FusedElementwise interprets its body.
 */
public final class KilnKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "kiln:Gelu", asOnnx("Gelu", 20),
                "kiln:LayerNormalization", asOnnx("LayerNormalization", 17),
                "kiln:Attention", KilnKernels::attention,
                "kiln:FusedElementwise", ctx -> ctx.runSubgraph(ctx.graphAttr("body"), ctx.inputs()));
    }

    /** Runs the standard op's kernel on the kiln node's inputs and attributes, at the opset that introduced it. */
    private static Kernel asOnnx(String op, int opset) {
        return ctx -> {
            Node n = ctx.node();
            Node standard = new Node(n.name(), "", op, n.inputs(), n.outputs(), n.attributes());
            return RefKernels.find(op).run(ctx.delegate(standard, ctx.inputs(), opset));
        };
    }

    private static List<RuntimeValue> attention(KernelContext ctx) {
        Tensor q = ctx.input(0), kt = ctx.input(1), v = ctx.input(2);
        if (q.rank() < 2 || kt.rank() < 2 || v.rank() < 2) throw ctx.fail("Q, Kt and V need rank >= 2");
        MatMulKernels.Product qk = MatMulKernels.Product.of(ctx, q.shape(), kt.shape());
        double[] scores = qk.multiply(q.toDoubles(), kt.toDoubles());
        double scale = ctx.floatAttr("scale", 1f);
        for (int i = 0; i < scores.length; i++) scores[i] *= scale;
        long[] scoreShape = qk.shape();
        if (ctx.hasInput(3)) {
            Tensor mask = ctx.input(3);
            long[] masked;
            try {
                masked = Indexing.broadcastShape(scoreShape, mask.shape());
            } catch (IllegalArgumentException e) {
                throw ctx.fail("mask " + Arrays.toString(mask.shape()) + " does not broadcast to scores " + Arrays.toString(scoreShape));
            }
            int[] fromScores = Indexing.broadcastMap(scoreShape, masked);
            int[] fromMask = Indexing.broadcastMap(mask.shape(), masked);
            double[] m = mask.toDoubles();
            double[] sum = new double[(int) Indexing.product(masked)];
            for (int i = 0; i < sum.length; i++) sum[i] = scores[fromScores[i]] + m[fromMask[i]];
            scores = sum;
            scoreShape = masked;
        }
        int n = (int) scoreShape[scoreShape.length - 1];
        double[] probs = new double[scores.length];
        for (int off = 0; n > 0 && off < scores.length; off += n) SoftmaxKernels.normalize(scores, probs, off, n, 1, SoftmaxKernels.Kind.SOFTMAX);
        MatMulKernels.Product pv = MatMulKernels.Product.of(ctx, scoreShape, v.shape());
        return List.of(NnTensors.of(q.dtype(), pv.shape(), pv.multiply(probs, v.toDoubles())));
    }
}
