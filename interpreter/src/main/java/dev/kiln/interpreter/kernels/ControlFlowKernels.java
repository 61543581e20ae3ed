package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** If, Loop and Scan: their bodies run through {@link KernelContext#runSubgraph}, which sees outer-scope values. */
public final class ControlFlowKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("If", ControlFlowKernels::runIf, "Loop", ControlFlowKernels::loop, "Scan", ScanKernel::run);
    }

    private static List<RuntimeValue> runIf(KernelContext ctx) {
        boolean cond = condition(ctx, ctx.input(0), "cond");
        Graph branch = ctx.graphAttr(cond ? "then_branch" : "else_branch");
        List<RuntimeValue> out = ctx.runSubgraph(branch, List.of());
        if (out.size() < ctx.outputCount()) throw ctx.fail("branch returned " + out.size() + " of " + ctx.outputCount() + " outputs");
        return out;
    }

    /**
     * Runs the body while {@code i < M} and the condition holds. Body inputs are (i, cond, carried...); its outputs
     * (cond, carried..., scan outputs...). Scan outputs of all iterations are stacked along a new first axis.
     */
    private static List<RuntimeValue> loop(KernelContext ctx) {
        Graph body = ctx.graphAttr("body");
        long tripCount = ctx.hasInput(0) ? ctx.input(0).getLong(0) : Long.MAX_VALUE;
        boolean cond = !ctx.hasInput(1) || condition(ctx, ctx.input(1), "cond");
        int carried = ctx.inputCount() - 2;
        int scans = body.outputs().size() - 1 - carried;
        if (scans < 0) throw ctx.fail("body has too few outputs for " + carried + " loop-carried values");
        List<RuntimeValue> state = new ArrayList<>(ctx.inputs().subList(2, ctx.inputCount()));
        List<List<Tensor>> scanParts = new ArrayList<>();
        for (int k = 0; k < scans; k++) scanParts.add(new ArrayList<>());
        for (long i = 0; i < tripCount && cond; i++) {
            if (Thread.currentThread().isInterrupted()) throw ctx.fail("run cancelled (time limit) in iteration " + i);
            List<RuntimeValue> args = new ArrayList<>(carried + 2);
            args.add(Tensor.ofLongs(DType.I64, new long[0], i));
            args.add(Tensor.ofLongs(DType.BOOL, new long[0], 1));
            args.addAll(state);
            List<RuntimeValue> out = ctx.runSubgraph(body, args);
            cond = condition(ctx, out.getFirst(), "body condition output");
            state = new ArrayList<>(out.subList(1, 1 + carried));
            for (int k = 0; k < scans; k++) scanParts.get(k).add(tensor(ctx, out.get(1 + carried + k), "scan output " + k));
        }
        List<RuntimeValue> results = new ArrayList<>(state);
        for (int k = 0; k < scans; k++) results.add(stackAlong(ctx, scanParts.get(k), 0, carried + k));
        return results;
    }

    /** Stacks per-iteration tensors along {@code axis}; with no iterations, an empty tensor of the declared type. */
    static Tensor stackAlong(KernelContext ctx, List<Tensor> parts, int axis, int output) {
        if (parts.isEmpty()) return emptyOutput(ctx, output, axis);
        Tensor first = parts.getFirst();
        try {
            return ControlTensors.stack(parts, axis, first.dtype(), first.shape());
        } catch (IllegalArgumentException e) {
            throw ctx.fail("scan output " + output + " changes shape or type across iterations: " + e.getMessage());
        }
    }

    /** A zero-length tensor for output {@code output}: its declared element type and static dims, 0 at {@code axis}. */
    static Tensor emptyOutput(KernelContext ctx, int output, int axis) {
        ValueType type = output < ctx.outputCount() ? ctx.outputType(output) : null;
        if (!(type instanceof TensorType t)) return Tensor.zeros(DType.F32, 0);
        if (!t.shape().hasRank()) return Tensor.zeros(t.dtype(), 0);
        long[] dims = new long[t.shape().rank()];
        for (int i = 0; i < dims.length; i++) {
            Dim d = t.shape().dim(i);
            dims[i] = i == axis || !d.isStatic() ? 0 : d.size();
        }
        return Tensor.zeros(t.dtype(), dims);
    }

    static boolean condition(KernelContext ctx, RuntimeValue v, String what) {
        Tensor t = tensor(ctx, v, what);
        if (t.size() != 1) throw ctx.fail(what + " must hold one element, got " + t);
        return t.getBoolean(0);
    }

    static Tensor tensor(KernelContext ctx, RuntimeValue v, String what) {
        if (v instanceof Tensor t) return t;
        throw ctx.fail(what + " must be a tensor, got " + (v == null ? "nothing" : v.type()));
    }

    static <T> List<T> reversedIf(boolean reverse, List<T> list) {
        if (!reverse) return list;
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
