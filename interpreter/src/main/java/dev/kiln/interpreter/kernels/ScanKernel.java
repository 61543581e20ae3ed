package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Scan. Opset 9+: states and scan inputs without a batch axis, per-input scan axes and directions. Opset 8: every
 * input has a leading batch axis, scanning runs per batch entry over axis 1 up to {@code sequence_lens[b]}, and
 * shorter scan outputs are zero-padded to the longest.
 */
final class ScanKernel {
    private ScanKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        return ctx.opset() < 9 ? runBatched(ctx) : runUnbatched(ctx);
    }

    private static List<RuntimeValue> runUnbatched(KernelContext ctx) {
        int scanInputs = (int) ctx.intAttr("num_scan_inputs", 0);
        int states = ctx.inputCount() - scanInputs;
        if (scanInputs < 1 || states < 0) throw ctx.fail("num_scan_inputs " + scanInputs + " does not fit the inputs");
        List<RuntimeValue> initial = ctx.inputs().subList(0, states);
        List<Tensor> scanned = new ArrayList<>();
        int[] axes = new int[scanInputs];
        long[] inAxes = ctx.intsAttr("scan_input_axes");
        if (inAxes != null && inAxes.length != scanInputs) throw ctx.fail("scan_input_axes needs " + scanInputs + " entries");
        for (int j = 0; j < scanInputs; j++) {
            Tensor t = ControlFlowKernels.tensor(ctx, ctx.value(states + j), "scan input " + j);
            axes[j] = axis(ctx, inAxes == null ? 0 : inAxes[j], t.rank(), "scan_input_axes");
            scanned.add(t);
        }
        Result r = scan(ctx, initial, scanned, axes, directions(ctx, "scan_input_directions", scanInputs), -1);
        List<RuntimeValue> out = new ArrayList<>(r.states);
        long[] outAxes = ctx.intsAttr("scan_output_axes");
        if (outAxes != null && outAxes.length != r.scanParts.size()) throw ctx.fail("scan_output_axes needs " + r.scanParts.size() + " entries");
        long[] outDirections = directions(ctx, "scan_output_directions", r.scanParts.size());
        for (int k = 0; k < r.scanParts.size(); k++) {
            List<Tensor> parts = r.scanParts.get(k);
            int rank = parts.isEmpty() ? 1 : parts.getFirst().rank() + 1;
            int axis = axis(ctx, outAxes == null ? 0 : outAxes[k], rank, "scan_output_axes");
            out.add(ControlFlowKernels.stackAlong(ctx, ControlFlowKernels.reversedIf(outDirections[k] == 1, parts), axis, states + k));
        }
        return out;
    }

    private static List<RuntimeValue> runBatched(KernelContext ctx) {
        int scanInputs = (int) ctx.intAttr("num_scan_inputs", 0);
        int states = ctx.inputCount() - 1 - scanInputs;
        if (scanInputs < 1 || states < 0) throw ctx.fail("num_scan_inputs " + scanInputs + " does not fit the inputs");
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 1; i < ctx.inputCount(); i++) inputs.add(ControlFlowKernels.tensor(ctx, ctx.value(i), "input " + i));
        long batch = inputs.getFirst().dim(0);
        long maxLength = inputs.get(states).rank() > 1 ? inputs.get(states).dim(1) : 0;
        long[] lengths = ctx.hasInput(0) ? ctx.input(0).toLongs() : null;
        if (lengths != null && lengths.length != batch) throw ctx.fail("sequence_lens must have one entry per batch");
        long[] directions = directions(ctx, "directions", scanInputs);
        int[] axes = new int[scanInputs];
        List<List<Tensor>> stateParts = new ArrayList<>(), scanOutputs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            List<RuntimeValue> initial = new ArrayList<>();
            for (int i = 0; i < states; i++) initial.add(ControlTensors.take(inputs.get(i), 0, b));
            long length = lengths == null ? maxLength : lengths[b];
            if (length < 0 || length > maxLength) throw ctx.fail("sequence_lens[" + b + "] = " + length + " is outside [0, " + maxLength + "]");
            List<Tensor> scanned = new ArrayList<>();
            for (int j = 0; j < scanInputs; j++) {
                Tensor perBatch = ControlTensors.take(inputs.get(states + j), 0, b);
                scanned.add(ControlTensors.slice(perBatch, 0, 0, length, false));
            }
            Result r = scan(ctx, initial, scanned, axes, directions, length);
            for (int i = 0; i < states; i++) {
                if (b == 0) stateParts.add(new ArrayList<>());
                stateParts.get(i).add(ControlFlowKernels.tensor(ctx, r.states.get(i), "state " + i));
            }
            for (int k = 0; k < r.scanParts.size(); k++) {
                if (b == 0) scanOutputs.add(new ArrayList<>());
                scanOutputs.get(k).add(padded(ctx, r.scanParts.get(k), maxLength, states + k));
            }
        }
        List<RuntimeValue> out = new ArrayList<>();
        for (int i = 0; i < states; i++) out.add(ControlFlowKernels.stackAlong(ctx, stateParts.get(i), 0, i));
        for (int k = 0; k < scanOutputs.size(); k++) out.add(ControlFlowKernels.stackAlong(ctx, scanOutputs.get(k), 0, states + k));
        return out;
    }

    /** One batch entry's scan output: its steps stacked, then zero rows up to {@code maxLength}. */
    private static Tensor padded(KernelContext ctx, List<Tensor> steps, long maxLength, int output) {
        if (steps.isEmpty()) throw ctx.fail("opset-8 Scan with an empty sequence has no scan output shape");
        Tensor first = steps.getFirst();
        Tensor stacked = ControlTensors.stack(steps, 0, first.dtype(), first.shape());
        if (steps.size() == maxLength) return stacked;
        long[] padShape = stacked.shape();
        padShape[0] = maxLength - steps.size();
        return ControlTensors.concat(List.of(stacked, Tensor.zeros(first.dtype(), padShape)), 0, first.dtype(), padShape);
    }

    private record Result(List<RuntimeValue> states, List<List<Tensor>> scanParts) {}

    /** Iterates the body over the scan inputs; {@code length} < 0 means "the scan inputs' common length". */
    private static Result scan(KernelContext ctx, List<RuntimeValue> initial, List<Tensor> scanned, int[] axes,
                               long[] directions, long length) {
        Graph body = ctx.graphAttr("body");
        int states = initial.size();
        long steps = length;
        for (int j = 0; j < scanned.size(); j++) {
            long n = scanned.get(j).dim(axes[j]);
            if (steps < 0) steps = n;
            if (n != steps) throw ctx.fail("scan inputs have different lengths (" + steps + " and " + n + ")");
        }
        int scanOutputs = body.outputs().size() - states;
        if (scanOutputs < 0) throw ctx.fail("body has fewer outputs than states");
        List<RuntimeValue> state = new ArrayList<>(initial);
        List<List<Tensor>> parts = new ArrayList<>();
        for (int k = 0; k < scanOutputs; k++) parts.add(new ArrayList<>());
        for (long t = 0; t < steps; t++) {
            if (Thread.currentThread().isInterrupted()) throw ctx.fail("run cancelled (time limit) at step " + t);
            List<RuntimeValue> args = new ArrayList<>(state);
            for (int j = 0; j < scanned.size(); j++) {
                args.add(ControlTensors.take(scanned.get(j), axes[j], directions[j] == 1 ? steps - 1 - t : t));
            }
            List<RuntimeValue> out = ctx.runSubgraph(body, args);
            state = new ArrayList<>(out.subList(0, states));
            for (int k = 0; k < scanOutputs; k++) parts.get(k).add(ControlFlowKernels.tensor(ctx, out.get(states + k), "scan output " + k));
        }
        return new Result(state, parts);
    }

    private static long[] directions(KernelContext ctx, String attr, int count) {
        long[] d = ctx.intsAttr(attr);
        if (d == null) return new long[count];
        if (d.length != count) throw ctx.fail(attr + " has " + d.length + " entries, expected " + count);
        for (long x : d) if (x != 0 && x != 1) throw ctx.fail(attr + " values must be 0 or 1, got " + x);
        return d;
    }

    private static int axis(KernelContext ctx, long axis, int rank, String attr) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail(attr + " value " + axis + " is out of range for rank " + rank);
        return (int) a;
    }
}
