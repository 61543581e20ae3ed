package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.ops.onnx.RecurrentOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * RNN, GRU and LSTM. Each batch row runs independently over its own sequence length (steps past it leave Y zero
 * and the state unchanged); the reverse direction walks the valid steps backwards. Layout 1 puts batch first in
 * X, Y and the states.
 */
public final class RecurrentKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "RNN", ctx -> run(ctx, RecurrentCell.Type.RNN),
                "GRU", ctx -> run(ctx, RecurrentCell.Type.GRU),
                "LSTM", ctx -> run(ctx, RecurrentCell.Type.LSTM));
    }

    private static List<RuntimeValue> run(KernelContext ctx, RecurrentCell.Type type) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        Tensor r = ctx.input(2);
        if (x.rank() != 3 || w.rank() != 3 || r.rank() != 3) throw ctx.fail("X, W and R must have rank 3");
        boolean batchFirst = ctx.intAttr("layout", 0) != 0;
        int seq = (int) x.dim(batchFirst ? 1 : 0);
        int batch = (int) x.dim(batchFirst ? 0 : 1);
        int input = (int) x.dim(2);
        int dirs;
        String direction = ctx.stringAttr("direction", "forward");
        try {
            dirs = RecurrentOps.directions(direction);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        int hidden = (int) ctx.intAttr("hidden_size", r.dim(2));
        int gates = type.gates;
        if (w.dim(0) != dirs || w.dim(1) != (long) gates * hidden || w.dim(2) != input
                || r.dim(0) != dirs || r.dim(1) != (long) gates * hidden || r.dim(2) != hidden) {
            throw ctx.fail("W " + w.type() + " or R " + r.type() + " does not fit " + dirs + " direction(s), "
                    + gates + " gates, hidden size " + hidden + " and input size " + input);
        }
        double[] bias = NnTensors.optional(ctx, 3, new double[dirs * 2 * gates * hidden]);
        if (bias.length != dirs * 2 * gates * hidden) throw ctx.fail("B must have shape [" + dirs + "," + 2 * gates * hidden + "]");
        long[] lengths = new long[batch];
        java.util.Arrays.fill(lengths, seq);
        if (ctx.hasInput(4)) {
            lengths = ctx.input(4).toLongs();
            if (lengths.length != batch) throw ctx.fail("sequence_lens must have " + batch + " values");
            for (long l : lengths) if (l < 0 || l > seq) throw ctx.fail("sequence length " + l + " is outside [0, " + seq + "]");
        }
        double[] h0 = state(ctx, 5, dirs, batch, hidden, batchFirst);
        double[] c0 = type == RecurrentCell.Type.LSTM ? state(ctx, 6, dirs, batch, hidden, batchFirst) : null;
        double[] peep = type == RecurrentCell.Type.LSTM ? NnTensors.optional(ctx, 7, new double[dirs * 3 * hidden]) : null;
        if (peep != null && peep.length != dirs * 3 * hidden) throw ctx.fail("P must have shape [" + dirs + "," + 3 * hidden + "]");
        List<DoubleUnaryOperator> acts = activations(ctx, type, dirs);
        Attribute clipAttr = ctx.attr("clip");
        double clip = clipAttr == null ? Double.POSITIVE_INFINITY : clipAttr.asFloat();

        double[] xs = x.toDoubles();
        double[] ws = w.toDoubles();
        double[] rs = r.toDoubles();
        double[] y = new double[seq * dirs * batch * hidden];
        double[] yh = new double[dirs * batch * hidden];
        double[] yc = new double[dirs * batch * hidden];
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            RecurrentCell cell = new RecurrentCell(type, input, hidden, ws, d * gates * hidden * input, rs,
                    d * gates * hidden * hidden, bias, d * 2 * gates * hidden,
                    peep, d * 3 * hidden, acts.subList(d * type.activations, (d + 1) * type.activations), clip,
                    ctx.intAttr("linear_before_reset", 0) != 0, ctx.intAttr("input_forget", 0) != 0);
            for (int b = 0; b < batch; b++) {
                double[] h = java.util.Arrays.copyOfRange(h0, (d * batch + b) * hidden, (d * batch + b + 1) * hidden);
                double[] c = c0 == null ? null : java.util.Arrays.copyOfRange(c0, (d * batch + b) * hidden, (d * batch + b + 1) * hidden);
                int len = (int) lengths[b];
                for (int step = 0; step < len; step++) {
                    int t = reverse ? len - 1 - step : step;
                    int xOff = batchFirst ? (b * seq + t) * input : (t * batch + b) * input;
                    cell.step(xs, xOff, h, c);
                    System.arraycopy(h, 0, y, ((t * dirs + d) * batch + b) * hidden, hidden);
                }
                System.arraycopy(h, 0, yh, (d * batch + b) * hidden, hidden);
                if (c != null) System.arraycopy(c, 0, yc, (d * batch + b) * hidden, hidden);
            }
        }
        List<RuntimeValue> outs = new ArrayList<>();
        long[] yShape = batchFirst ? new long[] {batch, seq, dirs, hidden} : new long[] {seq, dirs, batch, hidden};
        long[] stateShape = batchFirst ? new long[] {batch, dirs, hidden} : new long[] {dirs, batch, hidden};
        outs.add(NnTensors.of(x.dtype(), yShape, batchFirst ? toBatchFirst(y, seq, dirs, batch, hidden) : y));
        outs.add(NnTensors.of(x.dtype(), stateShape, batchFirst ? toBatchFirst(yh, 1, dirs, batch, hidden) : yh));
        if (type == RecurrentCell.Type.LSTM) {
            outs.add(NnTensors.of(x.dtype(), stateShape, batchFirst ? toBatchFirst(yc, 1, dirs, batch, hidden) : yc));
        }
        return outs;
    }

    /** An initial state input as [dirs, batch, hidden] (transposed from [batch, dirs, hidden] in layout 1), else zeros. */
    static double[] state(KernelContext ctx, int i, int dirs, int batch, int hidden, boolean batchFirst) {
        if (!ctx.hasInput(i)) return new double[dirs * batch * hidden];
        Tensor t = ctx.input(i);
        if (t.size() != dirs * batch * hidden) throw ctx.fail("initial state " + t.type() + " must hold " + dirs + "x" + batch + "x" + hidden + " values");
        double[] v = t.toDoubles();
        if (!batchFirst) return v;
        double[] out = new double[v.length];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < dirs; d++) {
                System.arraycopy(v, (b * dirs + d) * hidden, out, (d * batch + b) * hidden, hidden);
            }
        }
        return out;
    }

    /** [seq, dirs, batch, hidden] reordered as [batch, seq, dirs, hidden]. */
    private static double[] toBatchFirst(double[] v, int seq, int dirs, int batch, int hidden) {
        double[] out = new double[v.length];
        for (int t = 0; t < seq; t++) {
            for (int d = 0; d < dirs; d++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(v, ((t * dirs + d) * batch + b) * hidden, out, ((b * seq + t) * dirs + d) * hidden, hidden);
                }
            }
        }
        return out;
    }

    static List<DoubleUnaryOperator> activations(KernelContext ctx, RecurrentCell.Type type, int dirs) {
        Attribute names = ctx.attr("activations");
        List<String> list = names == null ? type.defaults : names.asStrings();
        if (list.size() == type.activations && dirs == 2) {
            list = new ArrayList<>(list);
            list.addAll(list);
        }
        if (list.size() != type.activations * dirs) {
            throw ctx.fail("expected " + type.activations * dirs + " activations, got " + list.size());
        }
        try {
            return RnnActivation.resolve(list, ctx.floatsAttr("activation_alpha"), ctx.floatsAttr("activation_beta"));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }
}
