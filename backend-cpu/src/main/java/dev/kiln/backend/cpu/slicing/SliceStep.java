package dev.kiln.backend.cpu.slicing;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.onnx.SliceBounds;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Slice of a float32 tensor by constant starts, ends, axes and steps. When the slice is one contiguous range of the
 * input (the axes before the first narrowed one keep a single index, the ones after it are whole) the output is a
 * view of the input's storage; otherwise a strided copy moves each contiguous run (the innermost narrowed axis at
 * step 1 together with the whole axes inside it) with one bulk copy, or element by element at other steps.
 * The plan for an input shape is made once and kept while the shape stays.
 */
final class SliceStep implements Step {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int output;
    private final long[] starts, ends, axes, steps;

    SliceStep(Node node, int input, int output, long[] starts, long[] ends, long[] axes, long[] steps) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.starts = starts;
        this.ends = ends;
        this.axes = axes;
        this.steps = steps;
    }

    private static final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;
        final StepMemory memory;

        State(StepMemory memory) {
            this.memory = memory;
            out = memory.output(0);
        }
        long[] inShape, outShape;
        long[] first, step;
        /** Element offset and size of the view, or -1 when the slice is copied. */
        long viewOffset = -1;
        Tensor lastInput, lastView;
        /** Copy plan: outer axes [0, outerAxes) are walked; each outer index moves {@code run} elements at {@code runStep}. */
        int outerAxes;
        long run, runStep;
        long[] inStrides;
        int[] index;
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.dtype() != DType.F32) throw new KilnException(node.describe() + ": input is " + x.dtype() + ", expected f32");
        if (!sameShape(s.inShape, x)) plan(s, x.shape());
        if (s.viewOffset >= 0 && s.memory.inArena(x)) {
            // A view would outlive the input's arena region, which the plan hands on after the Slice reads it.
            Tensor y = s.out.tensor(s.outShape);
            MemorySegment.copy(s.in.of(0, x), s.viewOffset * Float.BYTES, s.out.segment(), 0, y.size() * (long) Float.BYTES);
            frame.set(output, y);
            return;
        }
        if (s.viewOffset >= 0) {
            if (x != s.lastInput) {
                int from = Math.toIntExact(s.viewOffset * Float.BYTES), bytes = Math.toIntExact(Tensor.checkedSize(s.outShape) * (long) Float.BYTES);
                s.lastView = Tensor.view(DType.F32, s.outShape, x.data().slice(from, bytes));
                s.lastInput = x;
            }
            frame.set(output, s.lastView);
            return;
        }
        Tensor y = s.out.tensor(s.outShape);
        if (y.size() > 0) copy(s, s.in.of(0, x), s.out.segment());
        frame.set(output, y);
    }

    private static void copy(State s, MemorySegment src, MemorySegment dst) {
        int[] index = s.index;
        java.util.Arrays.fill(index, 0);
        long base = 0;
        for (int a = 0; a < s.first.length; a++) base += s.first[a] * s.inStrides[a];
        long to = 0, run = s.run, runStep = s.runStep;
        while (true) {
            long from = base;
            for (int a = 0; a < s.outerAxes; a++) from += index[a] * s.step[a] * s.inStrides[a];
            if (runStep == 1) {
                MemorySegment.copy(src, from * Float.BYTES, dst, to * Float.BYTES, run * Float.BYTES);
            } else {
                for (long e = 0; e < run; e++) dst.setAtIndex(FLOAT, to + e, src.getAtIndex(FLOAT, from + e * runStep));
            }
            to += run;
            int a = s.outerAxes - 1;
            for (; a >= 0 && ++index[a] == s.outShape[a]; a--) index[a] = 0;
            if (a < 0) return;
        }
    }

    private void plan(State s, long[] in) {
        int rank = in.length;
        long[] first = new long[rank], step = new long[rank], out = in.clone();
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
            if (axis < 0 || axis >= rank) throw new KilnException(node.describe() + ": axis " + axes[i] + " is out of range for rank " + rank);
            SliceBounds b = SliceBounds.of(starts[i], ends[i], steps[i], in[axis]);
            first[axis] = b.start();
            step[axis] = b.step();
            out[axis] = b.count();
        }
        long[] strides = new long[rank];
        for (long stride = 1, a = rank - 1; a >= 0; stride *= in[(int) a], a--) strides[(int) a] = stride;
        // Whole axes from the inside out; axis k is the innermost one the slice narrows.
        int k = rank - 1;
        while (k >= 0 && out[k] == in[k]  && first[k] == 0 && (step[k] == 1 || in[k] <= 1)) k--;
        long inner = k < 0 ? Tensor.checkedSize(in) : strides[k];
        s.inShape = in;
        s.outShape = out;
        s.first = first;
        s.step = step;
        s.inStrides = strides;
        s.lastInput = null;
        s.lastView = null;
        s.viewOffset = -1;
        boolean unitStep = k < 0 || step[k] == 1 || out[k] <= 1;
        boolean singleOuter = true;
        for (int a = 0; a < k; a++) singleOuter &= out[a] <= 1;
        long size = Tensor.checkedSize(out);
        if (size == 0) return;
        if (unitStep && singleOuter) {
            long offset = 0;
            for (int a = 0; a < rank; a++) offset += first[a] * strides[a];
            s.viewOffset = offset;
            return;
        }
        if (k >= 0 && (step[k] == 1 || out[k] <= 1)) {
            s.outerAxes = k;
            s.run = out[k] * inner;
            s.runStep = 1;
        } else if (inner > 1) {
            s.outerAxes = k + 1;
            s.run = inner;
            s.runStep = 1;
        } else {
            s.outerAxes = k;
            s.run = out[k];
            s.runStep = step[k];
        }
        s.index = new int[Math.max(s.outerAxes, 0)];
    }

    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape == null || shape.length != t.rank()) return false;
        for (int i = 0; i < shape.length; i++) if (shape[i] != t.dim(i)) return false;
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": slice (view when contiguous, else strided copy)"; }
}
