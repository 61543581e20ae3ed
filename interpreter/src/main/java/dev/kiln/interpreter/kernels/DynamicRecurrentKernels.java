package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.DynamicRecurrentOps;
import dev.kiln.ir.ops.onnx.RecurrentOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code com.microsoft:DynamicQuantizeLSTM} and {@code kiln:DynamicQuantizeGRU} (semantics in
 * {@link DynamicRecurrentOps}): X quantized to uint8 once ({@link DynamicUint8}), {@code X·W} in integers for every
 * row, then per time step the hidden states of the rows still running (and a GRU's {@code r ⊙ h}) quantized together,
 * {@code h·R} in integers, and {@link RecurrentCell}'s gate math on the dequantized products plus the biases.
 */
public final class DynamicRecurrentKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                DynamicRecurrentOps.MICROSOFT + ":" + DynamicRecurrentOps.LSTM, ctx -> run(ctx, RecurrentCell.Type.LSTM, 8),
                "kiln:" + DynamicRecurrentOps.GRU, ctx -> run(ctx, RecurrentCell.Type.GRU, 6));
    }

    /** An int8/uint8 weight {@code [dirs, k, n]} with its per-direction scales and zero points (one or n each). */
    private record Weights(int[] q, float[] scale, int[] zero, int k, int n) {
        static Weights read(KernelContext ctx, int w, int scales, int dirs, int k, int n, String what) {
            Tensor t = ctx.input(w);
            if (t.dtype() != DType.I8 && t.dtype() != DType.U8) throw ctx.fail(what + " must be int8 or uint8, got " + t.type());
            if (t.rank() != 3 || t.dim(0) != dirs || t.dim(1) != k || t.dim(2) != n) {
                throw ctx.fail(what + " " + t.type() + " is not [" + dirs + ", " + k + ", " + n + "]");
            }
            Tensor s = ctx.input(scales), z = ctx.input(scales + 1);
            if (z.dtype() != t.dtype()) throw ctx.fail(what + "'s zero point must be " + t.dtype() + ", got " + z.type());
            float[] scale = new float[dirs * n];
            int[] zero = new int[dirs * n];
            for (int i = 0; i < dirs * n; i++) {
                scale[i] = (float) s.getDouble(perColumn(ctx, s, dirs, n, what + "'s scale") ? i : i / n);
                zero[i] = (int) z.getLong(perColumn(ctx, z, dirs, n, what + "'s zero point") ? i : i / n);
            }
            int[] q = new int[(int) t.size()];
            for (int i = 0; i < q.length; i++) q[i] = (int) t.getLong(i);
            return new Weights(q, scale, zero, k, n);
        }

        private static boolean perColumn(KernelContext ctx, Tensor t, int dirs, int n, String what) {
            if (t.rank() == 2 && t.size() == (long) dirs * n) return true;
            if (t.size() == dirs) return false;
            throw ctx.fail(what + " " + t.type() + " is neither [" + dirs + "] nor [" + dirs + ", " + n + "]");
        }

        /**
         * {@code out[col] = (float) Σ_k (a[k] − aZero)(q[d, k, col] − zero[d, col]) · (float)(aScale · scale[d, col])}
         * for one row {@code a[aOff..aOff+k)} of uint8 values.
         */
        void product(int d, int[] a, int aOff, float aScale, int aZero, double[] out) {
            for (int col = 0; col < n; col++) {
                int zp = zero[d * n + col];
                long acc = 0;
                for (int i = 0; i < k; i++) acc += (long) (a[aOff + i] - aZero) * (q[(d * k + i) * n + col] - zp);
                out[col] = (float) acc * (aScale * scale[d * n + col]);
            }
        }
    }

    /** uint8 values of {@code rows} rows of {@code width} with their scale and zero point. */
    private record Quantized(int[] q, float scale, int zero) {
        static Quantized of(double[][] rows, boolean[] take, int width) {
            float lo = 0, hi = 0;
            for (int b = 0; b < rows.length; b++) {
                if (!take[b]) continue;
                for (int j = 0; j < width; j++) {
                    lo = Math.min(lo, (float) rows[b][j]);
                    hi = Math.max(hi, (float) rows[b][j]);
                }
            }
            float scale = DynamicUint8.scale(lo, hi);
            int zero = DynamicUint8.zeroPoint(lo, scale);
            int[] q = new int[rows.length * width];
            for (int b = 0; b < rows.length; b++) {
                if (!take[b]) continue;
                for (int j = 0; j < width; j++) q[b * width + j] = DynamicUint8.quantize((float) rows[b][j], scale, zero);
            }
            return new Quantized(q, scale, zero);
        }
    }

    private static List<RuntimeValue> run(KernelContext ctx, RecurrentCell.Type type, int scales) {
        Tensor x = ctx.input(0);
        if (x.rank() != 3) throw ctx.fail("X must have rank 3");
        int seq = (int) x.dim(0), batch = (int) x.dim(1), input = (int) x.dim(2);
        String direction = ctx.stringAttr("direction", "forward");
        int dirs;
        try {
            dirs = RecurrentOps.directions(direction);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        int hidden = (int) ctx.intAttr("hidden_size", ctx.input(2).dim(1));
        int gates = type.gates, width = gates * hidden;
        Weights w = Weights.read(ctx, 1, scales, dirs, input, width, "W");
        Weights r = Weights.read(ctx, 2, scales + 2, dirs, hidden, width, "R");
        double[] bias = NnTensors.optional(ctx, 3, new double[dirs * 2 * width]);
        if (bias.length != dirs * 2 * width) throw ctx.fail("B must have shape [" + dirs + "," + 2 * width + "]");
        long[] lengths = new long[batch];
        Arrays.fill(lengths, seq);
        if (ctx.hasInput(4)) {
            lengths = ctx.input(4).toLongs();
            if (lengths.length != batch) throw ctx.fail("sequence_lens must have " + batch + " values");
            for (long l : lengths) if (l < 0 || l > seq) throw ctx.fail("sequence length " + l + " is outside [0, " + seq + "]");
        }
        boolean lstm = type == RecurrentCell.Type.LSTM;
        double[] h0 = RecurrentKernels.state(ctx, 5, dirs, batch, hidden, false);
        double[] c0 = lstm ? RecurrentKernels.state(ctx, 6, dirs, batch, hidden, false) : null;
        double[] peep = lstm ? NnTensors.optional(ctx, 7, new double[dirs * 3 * hidden]) : null;
        if (peep != null && peep.length != dirs * 3 * hidden) throw ctx.fail("P must have shape [" + dirs + "," + 3 * hidden + "]");
        List<DoubleUnaryOperator> acts = RecurrentKernels.activations(ctx, type, dirs);
        Attribute clipAttr = ctx.attr("clip");
        double clip = clipAttr == null ? Double.POSITIVE_INFINITY : clipAttr.asFloat();
        boolean linearBeforeReset = ctx.intAttr("linear_before_reset", 0) != 0;

        double[] xs = x.toDoubles();
        double[][] xRows = new double[seq * batch][];
        for (int i = 0; i < xRows.length; i++) xRows[i] = Arrays.copyOfRange(xs, i * input, (i + 1) * input);
        boolean[] all = new boolean[xRows.length];
        Arrays.fill(all, true);
        Quantized xq = Quantized.of(xRows, all, input);

        double[] y = new double[seq * dirs * batch * hidden];
        double[] yh = new double[dirs * batch * hidden];
        double[] yc = new double[dirs * batch * hidden];
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            RecurrentCell cell = new RecurrentCell(type, input, hidden, null, 0, null, 0, bias, d * 2 * width,
                    peep, d * 3 * hidden, acts.subList(d * type.activations, (d + 1) * type.activations), clip,
                    linearBeforeReset, ctx.intAttr("input_forget", 0) != 0);
            double[][] fromInput = new double[seq * batch][width];
            for (int i = 0; i < seq * batch; i++) {
                w.product(d, xq.q(), i * input, xq.scale(), xq.zero(), fromInput[i]);
                for (int j = 0; j < width; j++) fromInput[i][j] += bias[d * 2 * width + j];
            }
            double[][] h = new double[batch][], c = new double[batch][];
            for (int b = 0; b < batch; b++) {
                h[b] = Arrays.copyOfRange(h0, (d * batch + b) * hidden, (d * batch + b + 1) * hidden);
                c[b] = lstm ? Arrays.copyOfRange(c0, (d * batch + b) * hidden, (d * batch + b + 1) * hidden) : null;
            }
            for (int step = 0; step < seq; step++) {
                boolean[] running = new boolean[batch];
                for (int b = 0; b < batch; b++) running[b] = step < lengths[b];
                Quantized hq = Quantized.of(h, running, hidden);
                double[][] fromState = new double[batch][width];
                double[][] resetH = new double[batch][];
                for (int b = 0; b < batch; b++) {
                    if (!running[b]) continue;
                    r.product(d, hq.q(), b * hidden, hq.scale(), hq.zero(), fromState[b]);
                    for (int j = 0; j < width; j++) fromState[b][j] += bias[d * 2 * width + width + j];
                    int t = reverse ? (int) lengths[b] - 1 - step : step;
                    resetH[b] = cell.resetInputs(fromInput[t * batch + b], fromState[b], h[b]);
                }
                double[][] resetState = type == RecurrentCell.Type.GRU && !linearBeforeReset
                        ? resetProducts(r, d, resetH, running, hidden, bias, d * 2 * width + width + 2 * hidden) : new double[batch][];
                for (int b = 0; b < batch; b++) {
                    if (!running[b]) continue;
                    int t = reverse ? (int) lengths[b] - 1 - step : step;
                    cell.apply(fromInput[t * batch + b], fromState[b], h[b], c[b], resetState[b]);
                    System.arraycopy(h[b], 0, y, ((t * dirs + d) * batch + b) * hidden, hidden);
                }
            }
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h[b], 0, yh, (d * batch + b) * hidden, hidden);
                if (lstm) System.arraycopy(c[b], 0, yc, (d * batch + b) * hidden, hidden);
            }
        }
        List<RuntimeValue> outs = new ArrayList<>();
        outs.add(NnTensors.of(x.dtype(), new long[] {seq, dirs, batch, hidden}, y));
        outs.add(NnTensors.of(x.dtype(), new long[] {dirs, batch, hidden}, yh));
        if (lstm) outs.add(NnTensors.of(x.dtype(), new long[] {dirs, batch, hidden}, yc));
        return outs;
    }

    /** {@code R_h·(r ⊙ h) + Rb_h} per running row, {@code r ⊙ h} of all running rows quantized together. */
    private static double[][] resetProducts(Weights r, int d, double[][] resetH, boolean[] running, int hidden,
                                            double[] bias, int biasOff) {
        int batch = resetH.length, width = r.n();
        Quantized q = Quantized.of(resetH, running, hidden);
        double[][] out = new double[batch][];
        double[] all = new double[width];
        for (int b = 0; b < batch; b++) {
            if (!running[b]) continue;
            r.product(d, q.q(), b * hidden, q.scale(), q.zero(), all);
            out[b] = new double[hidden];
            for (int j = 0; j < hidden; j++) out[b][j] = all[2 * hidden + j] + bias[biasOff + j];
        }
        return out;
    }
}
