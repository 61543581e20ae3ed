package dev.kiln.backend.cpu.layout;

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
import java.util.Arrays;

/**
 * Float32 Gather by constant indices along one axis: output {@code data[:axis] + indices.shape + data[axis+1:]},
 * each selected slice one bulk copy of the trailing axes. Indices may be negative (counted from the end); one out of
 * range fails the run, as in the reference kernel.
 */
final class GatherStep implements Step {
    private final Node node;
    private final int input;
    private final int output;
    private final int axis;
    private final long[] indices;
    private final long[] indexShape;

    GatherStep(Node node, int input, int output, int axis, long[] indices, long[] indexShape) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.axis = axis;
        this.indices = indices;
        this.indexShape = indexShape;
    }

    private static final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        long[] inShape;
        long[] outShape;
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.dtype() != DType.F32 || x.rank() <= axis) {
            throw new KilnException(node.describe() + ": data " + x.dtype() + Arrays.toString(x.shape()) + " has no axis " + axis);
        }
        if (!sameShape(s.inShape, x)) layOut(s, x);
        long dim = x.dim(axis);
        long outer = 1, inner = 1;
        for (int a = 0; a < axis; a++) outer *= x.dim(a);
        for (int a = axis + 1; a < x.rank(); a++) inner *= x.dim(a);
        Tensor y = s.out.tensor(s.outShape);
        MemorySegment src = s.in.of(0, x), dst = s.out.segment();
        long sliceBytes = inner * Float.BYTES;
        for (int q = 0; q < indices.length; q++) {
            long i = indices[q] < 0 ? indices[q] + dim : indices[q];
            if (i < 0 || i >= dim) throw new KilnException(node.describe() + ": index " + indices[q] + " is out of range for axis size " + dim);
        }
        for (long o = 0; o < outer; o++) {
            for (int q = 0; q < indices.length; q++) {
                long i = indices[q] < 0 ? indices[q] + dim : indices[q];
                MemorySegment.copy(src, (o * dim + i) * sliceBytes, dst, (o * indices.length + q) * sliceBytes, sliceBytes);
            }
        }
        frame.set(output, y);
    }

    private void layOut(State s, Tensor x) {
        long[] shape = x.shape();
        long[] out = new long[shape.length - 1 + indexShape.length];
        System.arraycopy(shape, 0, out, 0, axis);
        System.arraycopy(indexShape, 0, out, axis, indexShape.length);
        System.arraycopy(shape, axis + 1, out, axis + indexShape.length, shape.length - axis - 1);
        s.outShape = out;
        s.inShape = shape;
    }

    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape == null || shape.length != t.rank()) return false;
        for (int a = 0; a < shape.length; a++) if (shape[a] != t.dim(a)) return false;
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": gather of " + indices.length + " slice(s) on axis " + axis; }
}
