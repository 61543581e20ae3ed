package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * LinearAttention (opset 27): a recurrent state S[b, kvHead] of shape [dk, dv] updated once per time step, then
 * read by each query head of the group: {@code o = scale · qᵀS}. Update rules: linear {@code S += k⊗v}; gated
 * {@code S = e^g·S + k⊗v}; delta {@code S += k⊗β(v − Sᵀk)}; gated_delta the delta rule applied to {@code e^g·S}.
 * The decay g is per key feature ([B, T, Hkv·dk]) or per head ([B, T, Hkv]); β is per head or shared ([B, T, 1]).
 */
final class LinearAttentionKernel {
    private LinearAttentionKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor query = ctx.input(0), key = ctx.input(1), value = ctx.input(2);
        if (query.rank() != 3 || key.rank() != 3 || value.rank() != 3) throw ctx.fail("query, key and value must be 3D [B, T, H·D]");
        int qHeads = (int) ctx.intAttr("q_num_heads", 0), kvHeads = (int) ctx.intAttr("kv_num_heads", 0);
        if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0) throw ctx.fail("q_num_heads must be a positive multiple of kv_num_heads");
        int batch = (int) query.dim(0), steps = (int) query.dim(1);
        if (query.dim(2) % qHeads != 0 || key.dim(2) % kvHeads != 0 || value.dim(2) % kvHeads != 0) throw ctx.fail("hidden sizes must divide by the head counts");
        int dk = (int) (query.dim(2) / qHeads), dv = (int) (value.dim(2) / kvHeads);
        if (key.dim(2) / kvHeads != dk) throw ctx.fail("query and key head sizes differ");
        for (Tensor t : List.of(key, value)) {
            if (t.dim(0) != batch || t.dim(1) != steps) throw ctx.fail("query, key and value must share batch and time");
        }
        String rule = ctx.stringAttr("update_rule", "gated_delta");
        boolean gated = rule.equals("gated") || rule.equals("gated_delta");
        boolean delta = rule.equals("delta") || rule.equals("gated_delta");
        if (!gated && !delta && !rule.equals("linear")) throw ctx.fail("unknown update_rule '" + rule + "'");
        double[] decay = gated ? perStep(ctx, 4, "decay", batch, steps, kvHeads * dk, kvHeads) : null;
        int decayWidth = gated ? (int) ctx.input(4).dim(2) : 0;
        double[] beta = delta ? perStep(ctx, 5, "beta", batch, steps, kvHeads, 1) : null;
        int betaWidth = delta ? (int) ctx.input(5).dim(2) : 0;
        Attribute scaleAttr = ctx.attr("scale");
        double scale = scaleAttr != null ? scaleAttr.asFloat() : 1 / Math.sqrt(dk);

        double[] state = new double[batch * kvHeads * dk * dv];
        if (ctx.hasInput(3)) {
            Tensor past = ctx.input(3);
            if (!java.util.Arrays.equals(past.shape(), new long[] {batch, kvHeads, dk, dv})) throw ctx.fail("past_state must be [B, Hkv, dk, dv]");
            state = past.toDoubles();
        }
        double[] q = query.toDoubles(), k = key.toDoubles(), v = value.toDoubles();
        double[] out = new double[batch * steps * qHeads * dv];
        double[] retrieved = new double[dv];
        int group = qHeads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int bt = b * steps + t;
                for (int h = 0; h < kvHeads; h++) {
                    int s0 = (b * kvHeads + h) * dk * dv;
                    int k0 = (bt * kvHeads + h) * dk, v0 = (bt * kvHeads + h) * dv;
                    if (gated) {
                        for (int i = 0; i < dk; i++) {
                            double g = Math.exp(decay[bt * decayWidth + (decayWidth == kvHeads ? h : h * dk + i)]);
                            for (int j = 0; j < dv; j++) state[s0 + i * dv + j] *= g;
                        }
                    }
                    if (delta) {
                        java.util.Arrays.fill(retrieved, 0);
                        for (int i = 0; i < dk; i++) {
                            for (int j = 0; j < dv; j++) retrieved[j] += state[s0 + i * dv + j] * k[k0 + i];
                        }
                        double bh = beta[bt * betaWidth + (betaWidth == 1 ? 0 : h)];
                        for (int j = 0; j < dv; j++) retrieved[j] = bh * (v[v0 + j] - retrieved[j]);
                    } else {
                        System.arraycopy(v, v0, retrieved, 0, dv);
                    }
                    for (int i = 0; i < dk; i++) {
                        for (int j = 0; j < dv; j++) state[s0 + i * dv + j] += k[k0 + i] * retrieved[j];
                    }
                    for (int g = 0; g < group; g++) {
                        int qh = h * group + g;
                        int q0 = (bt * qHeads + qh) * dk, o0 = (bt * qHeads + qh) * dv;
                        for (int i = 0; i < dk; i++) {
                            double qi = q[q0 + i] * scale;
                            for (int j = 0; j < dv; j++) out[o0 + j] += qi * state[s0 + i * dv + j];
                        }
                    }
                }
            }
        }
        Tensor stateType = ctx.hasInput(3) ? ctx.input(3) : query;
        return List.of(Tensor.ofDoubles(query.dtype(), new long[] {batch, steps, (long) qHeads * dv}, out),
                Tensor.ofDoubles(stateType.dtype(), new long[] {batch, kvHeads, dk, dv}, state));
    }

    /** A [B, T, width] gate input whose width is one of the two allowed sizes. */
    private static double[] perStep(KernelContext ctx, int input, String name, int batch, int steps, int full, int reduced) {
        if (!ctx.hasInput(input)) throw ctx.fail("update_rule '" + ctx.stringAttr("update_rule", "gated_delta") + "' needs the " + name + " input");
        Tensor t = ctx.input(input);
        if (t.rank() != 3 || t.dim(0) != batch || t.dim(1) != steps || (t.dim(2) != full && t.dim(2) != reduced)) {
            throw ctx.fail(name + " must be [B, T, " + full + "] or [B, T, " + reduced + "], got " + java.util.Arrays.toString(t.shape()));
        }
        return t.toDoubles();
    }
}
