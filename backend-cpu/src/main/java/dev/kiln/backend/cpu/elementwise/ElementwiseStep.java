package dev.kiln.backend.cpu.elementwise;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.GeneratedStep;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.interpreter.Indexing;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.Arrays;
import java.util.Map;

/**
 * Runs a generated elementwise kernel. The broadcast layout and the output buffer are worked out for the first
 * shapes seen and kept in the runner's state until the shapes change, so a warm run allocates nothing here.
 */
final class ElementwiseStep implements GeneratedStep {
    private final Node node;
    private final int[] inputs;
    private final Tensor[] fixed;
    private final int output;
    private final boolean[] varying;
    private final Map.Entry<String, String> source;
    private ElementwiseKernel kernel;

    /** @param fixed tensors the kernel reads after the slots' values (the body's tensor constants) */
    ElementwiseStep(Node node, int[] inputs, Tensor[] fixed, int output, boolean[] varying, Map.Entry<String, String> source) {
        this.node = node;
        this.inputs = inputs;
        this.fixed = fixed;
        this.output = output;
        this.varying = varying;
        this.source = source;
    }

    /** The layout for the last input shapes, and the buffers. */
    private static final class State {
        long[][] shapes;
        long[] outShape;
        long[][] rowStarts;
        int rows;
        long inner;
        final InputSegments segments;
        final ReusedOutput out;

        State(int n, StepMemory memory) {
            segments = new InputSegments(n);
            out = memory.output(0);
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(inputs.length + fixed.length, memory); }

    @Override
    public Map<String, String> sources() { return Map.of(source.getKey(), source.getValue()); }

    @Override
    public void link(Map<String, Class<?>> classes) {
        try {
            kernel = (ElementwiseKernel) classes.get(source.getKey()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new KilnException(node.describe() + ": cannot instantiate generated kernel " + source.getKey(), e);
        }
    }

    @Override
    public void run(Frame frame, Object stateObject) {
        State state = (State) stateObject;
        boolean reshaped = state.shapes == null;
        for (int j = 0; j < inputs.length + fixed.length; j++) {
            Tensor t = input(frame, j);
            if (t.dtype() != DType.F32) throw new KilnException(node.describe() + ": input " + j + " is " + t.dtype() + ", expected f32");
            if (!reshaped && !sameShape(state.shapes[j], t)) reshaped = true;
            state.segments.of(j, t);
        }
        if (reshaped) layOut(state, frame);
        Tensor out = state.out.tensor(state.outShape);
        kernel.run(state.segments.all(), state.rowStarts, state.out.segment(), 0, state.rows, state.inner);
        frame.set(output, out);
    }

    private Tensor input(Frame frame, int j) {
        return j < inputs.length ? (Tensor) frame.get(inputs[j]) : fixed[j - inputs.length];
    }

    /** Whether {@code t} has {@code shape}, without copying its shape array. */
    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape.length != t.rank()) return false;
        for (int a = 0; a < shape.length; a++) if (shape[a] != t.dim(a)) return false;
        return true;
    }

    private void layOut(State state, Frame frame) {
        int n = inputs.length + fixed.length;
        long[][] shapes = new long[n][];
        for (int j = 0; j < n; j++) shapes[j] = input(frame, j).shape();
        long[] out = broadcast(shapes);
        BroadcastLayout.Axis[][] axes = BroadcastLayout.classify(shapes, out);
        int k = BroadcastLayout.split(axes, out.length);
        if (!Arrays.equals(BroadcastLayout.varying(axes, k), varying)) {
            throw new KilnException(node.describe() + ": input shapes " + describe(shapes)
                    + " broadcast differently from the types the kernel was generated for");
        }
        state.shapes = shapes;
        state.rowStarts = new long[n][];
        for (int j = 0; j < n; j++) state.rowStarts[j] = BroadcastLayout.rowStarts(shapes[j], out, k);
        long inner = 1;
        for (int a = k; a < out.length; a++) inner *= out[a];
        state.inner = inner;
        state.rows = state.rowStarts.length == 0 ? 1 : state.rowStarts[0].length;
        state.outShape = out;
    }

    private long[] broadcast(long[][] shapes) {
        try {
            return Indexing.broadcastShape(shapes);
        } catch (IllegalArgumentException e) {
            throw new KilnException(node.describe() + ": input shapes " + describe(shapes) + " do not broadcast");
        }
    }

    private static String describe(long[][] shapes) {
        return String.join(", ", Arrays.stream(shapes).map(Arrays::toString).toList());
    }

    @Override
    public String describe() { return node.describe() + ": generated elementwise kernel " + source.getKey(); }
}
