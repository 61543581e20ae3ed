package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * ai.onnx.preview FlexAttention: scores = Q·Kᵀ·scale over [B, Hq, L, S], then the optional score_mod subgraph on
 * the whole score tensor, a softmax over S, the optional prob_mod subgraph, and the product with V. The subgraphs
 * see tensors in the softmax precision (float32, or float64 for double inputs, unless softmax_precision says
 * otherwise); K/V heads are shared by contiguous groups of query heads.
 */
final class FlexAttentionKernel {
    private FlexAttentionKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) throw ctx.fail("Q, K and V must be 4D");
        int batch = (int) q.dim(0), qHeads = (int) q.dim(1), qLen = (int) q.dim(2), headSize = (int) q.dim(3);
        int kvHeads = (int) k.dim(1), kvLen = (int) k.dim(2), vHeadSize = (int) v.dim(3);
        if (k.dim(0) != batch || v.dim(0) != batch || k.dim(3) != headSize || v.dim(1) != kvHeads || v.dim(2) != kvLen) {
            throw ctx.fail("K and V shapes do not match Q");
        }
        if (kvHeads == 0 || qHeads % kvHeads != 0) throw ctx.fail("Q heads must be a multiple of K heads");
        Attribute scaleAttr = ctx.attr("scale");
        double scale = scaleAttr != null ? scaleAttr.asFloat() : 1 / Math.sqrt(headSize);
        Attribute precisionAttr = ctx.attr("softmax_precision");
        DType precision = precisionAttr != null ? DType.fromOnnxCode((int) precisionAttr.asInt())
                : q.dtype() == DType.F64 ? DType.F64 : DType.F32;
        int group = qHeads / kvHeads;
        double[] qd = q.toDoubles(), kd = k.toDoubles(), vd = v.toDoubles();
        long[] scoreShape = {batch, qHeads, qLen, kvLen};
        double[] scores = new double[batch * qHeads * qLen * kvLen];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int kvh = h / group;
                for (int i = 0; i < qLen; i++) {
                    int qOff = ((b * qHeads + h) * qLen + i) * headSize;
                    for (int j = 0; j < kvLen; j++) {
                        int kOff = ((b * kvHeads + kvh) * kvLen + j) * headSize;
                        double dot = 0;
                        for (int d = 0; d < headSize; d++) dot += qd[qOff + d] * kd[kOff + d];
                        scores[((b * qHeads + h) * qLen + i) * kvLen + j] = dot * scale;
                    }
                }
            }
        }
        scores = modify(ctx, "score_mod", scores, scoreShape, precision);
        double[] row = new double[kvLen];
        for (int r = 0; r < batch * qHeads * qLen; r++) {
            System.arraycopy(scores, r * kvLen, row, 0, kvLen);
            AttentionKernel.softmax(row, false);
            System.arraycopy(row, 0, scores, r * kvLen, kvLen);
        }
        double[] probs = modify(ctx, "prob_mod", scores, scoreShape, precision);
        double[] y = new double[batch * qHeads * qLen * vHeadSize];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int kvh = h / group;
                for (int i = 0; i < qLen; i++) {
                    int yOff = ((b * qHeads + h) * qLen + i) * vHeadSize;
                    for (int j = 0; j < kvLen; j++) {
                        double p = probs[((b * qHeads + h) * qLen + i) * kvLen + j];
                        int vOff = ((b * kvHeads + kvh) * kvLen + j) * vHeadSize;
                        for (int d = 0; d < vHeadSize; d++) y[yOff + d] += p * vd[vOff + d];
                    }
                }
            }
        }
        return List.of(Tensor.ofDoubles(q.dtype(), new long[] {batch, qHeads, qLen, vHeadSize}, y));
    }

    /** Runs the named subgraph on the tensor, if the node has it; its result must keep the shape. */
    private static double[] modify(KernelContext ctx, String attr, double[] values, long[] shape, DType precision) {
        Attribute a = ctx.attr(attr);
        if (a == null) return values;
        Graph body = a.asGraph();
        List<RuntimeValue> out = ctx.runSubgraph(body, List.of(Tensor.ofDoubles(precision, shape, values)));
        if (out.size() != 1 || !(out.getFirst() instanceof Tensor t) || !Arrays.equals(t.shape(), shape)) {
            throw ctx.fail(attr + " must return one tensor of shape " + Arrays.toString(shape));
        }
        return t.toDoubles();
    }
}
