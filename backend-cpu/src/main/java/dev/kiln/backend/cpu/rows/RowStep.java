package dev.kiln.backend.cpu.rows;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;

/**
 * A float32 op that works row by row over contiguous memory (softmax, layer normalization, a math function over
 * everything): the input is seen as [rows, cols] with cols the product of the trailing axes from {@code axis}; the
 * output has the input's shape.
 */
final class RowStep implements Step {
    /** The kernel call for one run. */
    interface RowKernel {
        void run(MemorySegment[] inputs, MemorySegment out, int rows, int cols);
    }

    private final Node node;
    private final int[] inputs;
    private final int output;
    private final int axis;
    private final RowKernel kernel;
    private final String what;

    /** @param axis the first axis of a row (negative counts from the end); 0 treats the whole tensor as one row */
    RowStep(Node node, int[] inputs, int output, int axis, RowKernel kernel, String what) {
        this.node = node;
        this.inputs = inputs;
        this.output = output;
        this.axis = axis;
        this.kernel = kernel;
        this.what = what;
    }

    private record State(InputSegments segments, ReusedOutput out) {}

    @Override
    public Object newState(StepMemory memory) { return new State(new InputSegments(inputs.length), memory.output(0)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State state = (State) stateObject;
        Tensor x = (Tensor) frame.get(inputs[0]);
        for (int j = 0; j < inputs.length; j++) {
            Tensor t = inputs[j] < 0 ? null : (Tensor) frame.get(inputs[j]);
            if (t == null) continue;
            if (t.dtype() != DType.F32) throw new KilnException(node.describe() + ": input " + j + " is " + t.dtype() + ", expected f32");
            state.segments().of(j, t);
        }
        int rank = x.rank();
        int first = axis < 0 ? axis + rank : axis;
        if (first < 0 || first > rank) throw new KilnException(node.describe() + ": axis " + axis + " is out of range for rank " + rank);
        long cols = 1;
        for (int a = first; a < rank; a++) cols *= x.dim(a);
        long rows = cols == 0 ? 0 : x.size() / cols;
        Tensor out = state.out().tensorLike(x);
        if (rows > 0) kernel.run(state.segments().all(), state.out().segment(), Math.toIntExact(rows), Math.toIntExact(cols));
        frame.set(output, out);
    }

    @Override
    public String describe() { return node.describe() + ": " + what; }
}
