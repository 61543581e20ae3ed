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
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Float32 Transpose: the output walked in order, the input through permuted strides; when the last axis stays last,
 * each run along it is one bulk copy. The strides are worked out once per input shape.
 */
final class TransposeStep implements Step {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int output;
    private final int[] perm;

    TransposeStep(Node node, int input, int output, int[] perm) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.perm = perm;
    }

    private static final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        long[] inShape;
        long[] outShape;
        /** Input stride (floats) of each output axis. */
        long[] strides;
        int[] counter;
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.dtype() != DType.F32 || x.rank() != perm.length) {
            throw new KilnException(node.describe() + ": input " + x.dtype() + Arrays.toString(x.shape()) + " does not fit perm " + Arrays.toString(perm));
        }
        if (!sameShape(s.inShape, x)) layOut(s, x);
        Tensor y = s.out.tensor(s.outShape);
        if (x.size() > 0) copy(s, s.in.of(0, x), s.out.segment());
        frame.set(output, y);
    }

    private void layOut(State s, Tensor x) {
        int rank = perm.length;
        long[] shape = x.shape();
        long[] inStrides = new long[rank];
        for (int a = rank - 1, stride = 1; a >= 0; stride *= (int) shape[a], a--) inStrides[a] = stride;
        s.outShape = new long[rank];
        s.strides = new long[rank];
        for (int a = 0; a < rank; a++) {
            s.outShape[a] = shape[perm[a]];
            s.strides[a] = inStrides[perm[a]];
        }
        s.counter = new int[rank];
        s.inShape = shape;
    }

    private static void copy(State s, MemorySegment src, MemorySegment dst) {
        int rank = s.outShape.length;
        if (rank == 0) {
            dst.set(F, 0, src.get(F, 0));
            return;
        }
        int[] counter = s.counter;
        Arrays.fill(counter, 0);
        int inner = (int) s.outShape[rank - 1];
        long innerStride = s.strides[rank - 1];
        long outer = 1;
        for (int a = 0; a < rank - 1; a++) outer *= s.outShape[a];
        long to = 0;
        for (long o = 0; o < outer; o++) {
            long from = 0;
            for (int a = 0; a < rank - 1; a++) from += counter[a] * s.strides[a];
            if (innerStride == 1) {
                MemorySegment.copy(src, from * 4, dst, to * 4, inner * 4L);
            } else {
                for (int i = 0; i < inner; i++) dst.set(F, (to + i) * 4, src.get(F, (from + i * innerStride) * 4));
            }
            to += inner;
            for (int a = rank - 2; a >= 0 && ++counter[a] == s.outShape[a]; a--) counter[a] = 0;
        }
    }

    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape == null || shape.length != t.rank()) return false;
        for (int a = 0; a < shape.length; a++) if (shape[a] != t.dim(a)) return false;
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": transpose " + Arrays.toString(perm) + " (strided copy)"; }
}
