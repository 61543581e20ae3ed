package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

/**
 * The additive attention bias of ONNX Attention for one score row: the mask (bool: 0 where true, -inf where false;
 * float: added as is; broadcast to [B, heads, q, kv], and padded with -inf where it is shorter than the keys), the
 * causal mask and the padding mask of {@code nonpad_kv_seqlen}.
 */
final class AttentionBias {
    private final double[] mask;
    private final long[] maskStrides = new long[4];
    private final int maskLength;
    private final boolean causal;
    private final boolean hasPastKey;
    private final int past;
    private final int qSeq;
    private final long[] nonPad;

    AttentionBias(KernelContext ctx, Tensor maskTensor, int batch, int heads, int qSeq, int total, boolean causal,
                  boolean hasPastKey, int past, long[] nonPad) {
        this.causal = causal;
        this.hasPastKey = hasPastKey;
        this.past = past;
        this.qSeq = qSeq;
        this.nonPad = nonPad;
        if (maskTensor == null) {
            mask = null;
            maskLength = total;
            return;
        }
        int r = maskTensor.rank();
        if (r < 1 || r > 4) throw ctx.fail("attn_mask must have rank 1 to 4, got " + r);
        long[] full = {batch, heads, qSeq, total};
        long[] shape = maskTensor.shape();
        long acc = 1;
        for (int i = 3; i >= 0; i--) {
            int j = i - (4 - r);
            long d = j < 0 ? 1 : shape[j];
            boolean lastAxis = i == 3;
            if (lastAxis ? d > total : d != 1 && d != full[i]) {
                throw ctx.fail("attn_mask shape " + java.util.Arrays.toString(shape) + " does not broadcast to "
                        + java.util.Arrays.toString(full));
            }
            maskStrides[i] = d == 1 ? 0 : acc;
            acc *= d;
        }
        maskLength = (int) shape[r - 1];
        double[] values = new double[maskTensor.size()];
        boolean bool = maskTensor.dtype() == DType.BOOL;
        for (int i = 0; i < values.length; i++) {
            values[i] = bool ? (maskTensor.getLong(i) != 0 ? 0 : Double.NEGATIVE_INFINITY) : maskTensor.getDouble(i);
        }
        mask = values;
    }

    /** Writes the bias of score row (b, h, i) into {@code out}. */
    void row(int b, int h, int i, double[] out) {
        int total = out.length;
        long base = b * maskStrides[0] + h * maskStrides[1] + i * maskStrides[2];
        long offset = causal ? (!hasPastKey && nonPad != null ? nonPad[b] - qSeq : past) : 0;
        for (int j = 0; j < total; j++) {
            double v = 0;
            if (mask != null) {
                boolean padded = j >= maskLength;
                v = padded ? Double.NEGATIVE_INFINITY : mask[(int) (base + j * maskStrides[3])];
            }
            if (causal && j > i + offset) v = Double.NEGATIVE_INFINITY;
            if (nonPad != null && j >= nonPad[b]) v = Double.NEGATIVE_INFINITY;
            out[j] = v;
        }
    }
}
