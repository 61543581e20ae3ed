package dev.kiln.backend.cpu.reduce;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A sum or mean over axes {@code [first, end)} of a float32 tensor seen as {@code [outer, reduced, inner]}: each
 * output row {@code [o, :]} accumulates the {@code reduced} input rows {@code [o, r, :]}, contiguous along
 * {@code inner}, in float32 as ONNX Runtime does, then a mean scales by {@code 1/reduced}. The output shape is
 * worked out again only when the input's shape changes, so a warm run allocates nothing.
 */
final class ReduceStep implements Step {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int output;
    private final int first;
    private final int end;
    private final boolean keepDims;
    private final boolean mean;

    ReduceStep(Node node, int input, int output, int first, int end, boolean keepDims, boolean mean) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.first = first;
        this.end = end;
        this.keepDims = keepDims;
        this.mean = mean;
    }

    private static final class State {
        final ReusedOutput out;
        long[] inputShape = new long[0];
        long[] outputShape;
        long outer;
        long reduced;
        long inner;

        State(ReusedOutput out) { this.out = out; }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory.output(0)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() < end) throw new KilnException(node.describe() + ": input of rank " + x.rank() + " has no axis " + (end - 1));
        if (!sameShape(s.inputShape, x)) learn(s, x);
        Tensor out = s.out.tensor(s.outputShape);
        reduce(x.segment(), s.out.segment(), s.outer, s.reduced, s.inner, mean);
        frame.set(output, out);
    }

    private void learn(State s, Tensor x) {
        s.inputShape = x.shape();
        int rank = x.rank();
        long outer = 1;
        long reduced = 1;
        long inner = 1;
        for (int a = 0; a < rank; a++) {
            if (a < first) outer *= x.dim(a);
            else if (a < end) reduced *= x.dim(a);
            else inner *= x.dim(a);
        }
        long[] shape = new long[keepDims ? rank : rank - (end - first)];
        for (int a = 0, k = 0; a < rank; a++) {
            if (a < first || a >= end) shape[k++] = x.dim(a);
            else if (keepDims) shape[k++] = 1;
        }
        s.outputShape = shape;
        s.outer = outer;
        s.reduced = reduced;
        s.inner = inner;
    }

    /** The kernel: {@code out[o, i] = Σ_r x[o, r, i]} (over {@code reduced} for a mean); NaN for the mean of nothing. */
    static void reduce(MemorySegment x, MemorySegment out, long outer, long reduced, long inner, boolean mean) {
        float scale = mean ? 1f / reduced : 1f;
        for (long o = 0; o < outer; o++) {
            long po = o * inner * 4;
            long px = o * reduced * inner * 4;
            for (long i = 0; i < inner; i++) out.set(F, po + i * 4, 0f);
            for (long r = 0; r < reduced; r++) {
                long row = px + r * inner * 4;
                for (long i = 0; i < inner; i++) out.set(F, po + i * 4, out.get(F, po + i * 4) + x.get(F, row + i * 4));
            }
            if (mean) for (long i = 0; i < inner; i++) out.set(F, po + i * 4, out.get(F, po + i * 4) * scale);
        }
    }

    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape.length != t.rank()) return false;
        for (int a = 0; a < shape.length; a++) if (shape[a] != t.dim(a)) return false;
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": " + (mean ? "mean" : "sum") + " over axes " + first + ".." + (end - 1) + " (rows)"; }
}
