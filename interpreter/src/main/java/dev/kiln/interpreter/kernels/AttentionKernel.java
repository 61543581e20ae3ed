package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Attention (opset 23/24), following its function body: scores = (Q·Kᵀ)·scale, optional softcap
 * ({@code c·tanh(s/c)}), plus a bias from the mask, causal masking and the non-padded KV lengths, then softmax and
 * a product with V. Rows whose bias is -inf everywhere get all-zero probabilities (not NaN). KV heads are shared by
 * {@code q_heads / kv_heads} consecutive query heads.
 */
final class AttentionKernel {
    private AttentionKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
        int rank = q.rank();
        if ((rank != 3 && rank != 4) || k.rank() != rank || v.rank() != rank) {
            throw ctx.fail("Q, K and V must all be 3D or all 4D");
        }
        int batch = (int) q.dim(0);
        int qHeads, kvHeads, qSeq, kvSeq, headSize, vHeadSize;
        if (rank == 3) {
            qHeads = (int) ctx.intAttr("q_num_heads", 0);
            kvHeads = (int) ctx.intAttr("kv_num_heads", 0);
            if (qHeads <= 0 || kvHeads <= 0) throw ctx.fail("3D inputs need positive q_num_heads and kv_num_heads");
            if (q.dim(2) % qHeads != 0 || k.dim(2) % kvHeads != 0 || v.dim(2) % kvHeads != 0) {
                throw ctx.fail("hidden sizes must be multiples of the head counts");
            }
            qSeq = (int) q.dim(1);
            kvSeq = (int) k.dim(1);
            headSize = (int) (q.dim(2) / qHeads);
            vHeadSize = (int) (v.dim(2) / kvHeads);
            if (k.dim(2) / kvHeads != headSize) throw ctx.fail("Q and K head sizes differ");
        } else {
            qHeads = (int) q.dim(1);
            kvHeads = (int) k.dim(1);
            qSeq = (int) q.dim(2);
            kvSeq = (int) k.dim(2);
            headSize = (int) q.dim(3);
            vHeadSize = (int) v.dim(3);
            if (k.dim(3) != headSize) throw ctx.fail("Q and K head sizes differ");
        }
        if (k.dim(0) != batch || v.dim(0) != batch || v.dim(rank == 3 ? 1 : 2) != kvSeq || (rank == 4 && v.dim(1) != kvHeads)) {
            throw ctx.fail("K and V shapes do not match");
        }
        if (kvHeads == 0 || qHeads % kvHeads != 0) throw ctx.fail("q heads " + qHeads + " not a multiple of kv heads " + kvHeads);

        double[] qd = toHeadMajor(q, qHeads);
        double[] kd = toHeadMajor(k, kvHeads);
        double[] vd = toHeadMajor(v, kvHeads);
        int past = 0;
        if (ctx.hasInput(4) || ctx.hasInput(5)) {
            Tensor pk = ctx.input(4), pv = ctx.input(5);
            if (pk.rank() != 4 || pv.rank() != 4 || pk.dim(0) != batch || pk.dim(1) != kvHeads || pk.dim(3) != headSize
                    || pv.dim(0) != batch || pv.dim(1) != kvHeads || pv.dim(3) != vHeadSize || pv.dim(2) != pk.dim(2)) {
                throw ctx.fail("past_key/past_value shapes do not match K and V");
            }
            past = (int) pk.dim(2);
            kd = concatSeq(pk.toDoubles(), kd, batch * kvHeads, past, kvSeq, headSize);
            vd = concatSeq(pv.toDoubles(), vd, batch * kvHeads, past, kvSeq, vHeadSize);
        }
        int total = past + kvSeq;
        long[] nonPad = null;
        if (ctx.hasInput(6)) {
            nonPad = ctx.input(6).toLongs();
            if (nonPad.length != batch) throw ctx.fail("nonpad_kv_seqlen must have one entry per batch");
        }
        AttentionBias bias = new AttentionBias(ctx, ctx.hasInput(3) ? ctx.input(3) : null, batch, qHeads, qSeq, total,
                ctx.intAttr("is_causal", 0) != 0, ctx.hasInput(4), past, nonPad);

        Attribute scaleAttr = ctx.attr("scale");
        double scale = scaleAttr != null ? scaleAttr.asFloat() : 1.0 / Math.sqrt(headSize);
        double softcap = ctx.floatAttr("softcap", 0f);
        int mode = (int) ctx.intAttr("qk_matmul_output_mode", 0);
        int group = qHeads / kvHeads;

        double[] y = new double[batch * qHeads * qSeq * vHeadSize];
        double[] qkOut = new double[batch * qHeads * qSeq * total];
        double[] row = new double[total];
        double[] biasRow = new double[total];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int kvh = h / group;
                int kBase = (b * kvHeads + kvh) * total;
                for (int i = 0; i < qSeq; i++) {
                    int qOff = ((b * qHeads + h) * qSeq + i) * headSize;
                    int outRow = ((b * qHeads + h) * qSeq + i) * total;
                    bias.row(b, h, i, biasRow);
                    boolean allMasked = true;
                    for (int j = 0; j < total; j++) {
                        int kOff = (kBase + j) * headSize;
                        double dot = 0;
                        for (int d = 0; d < headSize; d++) dot += qd[qOff + d] * kd[kOff + d];
                        double s = dot * scale;
                        if (mode == 0) qkOut[outRow + j] = s;
                        if (softcap > 0) s = softcap * Math.tanh(s / softcap);
                        if (mode == 1) qkOut[outRow + j] = s;
                        s += biasRow[j];
                        if (mode == 2) qkOut[outRow + j] = s;
                        row[j] = s;
                        if (biasRow[j] != Double.NEGATIVE_INFINITY) allMasked = false;
                    }
                    softmax(row, allMasked);
                    if (mode == 3) System.arraycopy(row, 0, qkOut, outRow, total);
                    int yOff = ((b * qHeads + h) * qSeq + i) * vHeadSize;
                    int vBase = (b * kvHeads + kvh) * total;
                    for (int j = 0; j < total; j++) {
                        double p = row[j];
                        if (p == 0) continue;
                        int vOff = (vBase + j) * vHeadSize;
                        for (int d = 0; d < vHeadSize; d++) y[yOff + d] += p * vd[vOff + d];
                    }
                }
            }
        }
        List<RuntimeValue> out = new ArrayList<>(4);
        out.add(rank == 3
                ? Tensor.ofDoubles(q.dtype(), new long[] {batch, qSeq, (long) qHeads * vHeadSize}, toSeqMajor(y, batch, qHeads, qSeq, vHeadSize))
                : Tensor.ofDoubles(q.dtype(), new long[] {batch, qHeads, qSeq, vHeadSize}, y));
        out.add(Tensor.ofDoubles(q.dtype(), new long[] {batch, kvHeads, total, headSize}, kd));
        out.add(Tensor.ofDoubles(v.dtype(), new long[] {batch, kvHeads, total, vHeadSize}, vd));
        out.add(Tensor.ofDoubles(q.dtype(), new long[] {batch, qHeads, qSeq, total}, qkOut));
        return out;
    }

    /** In-place softmax of one row (the Softmax op's own normalization); a fully masked row becomes all zeros. */
    static void softmax(double[] row, boolean allMasked) {
        if (allMasked) {
            java.util.Arrays.fill(row, 0);
            return;
        }
        SoftmaxKernels.normalize(row, row, 0, row.length, 1, SoftmaxKernels.Kind.SOFTMAX);
    }

    /** [B, S, H·D] or [B, H, S, D] as a [B, H, S, D] array. */
    static double[] toHeadMajor(Tensor t, int heads) {
        double[] data = t.toDoubles();
        if (t.rank() == 4) return data;
        int batch = (int) t.dim(0), seq = (int) t.dim(1), size = (int) (t.dim(2) / heads);
        double[] out = new double[data.length];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(data, ((b * seq + s) * heads + h) * size, out, ((b * heads + h) * seq + s) * size, size);
                }
            }
        }
        return out;
    }

    /** [B, H, S, D] as [B, S, H·D]. */
    static double[] toSeqMajor(double[] data, int batch, int heads, int seq, int size) {
        double[] out = new double[data.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int s = 0; s < seq; s++) {
                    System.arraycopy(data, ((b * heads + h) * seq + s) * size, out, ((b * seq + s) * heads + h) * size, size);
                }
            }
        }
        return out;
    }

    /** Concatenates [N, P, D] and [N, S, D] along the middle axis. */
    static double[] concatSeq(double[] first, double[] second, int n, int p, int s, int d) {
        double[] out = new double[n * (p + s) * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(first, i * p * d, out, i * (p + s) * d, p * d);
            System.arraycopy(second, i * s * d, out, (i * (p + s) + p) * d, s * d);
        }
        return out;
    }
}
