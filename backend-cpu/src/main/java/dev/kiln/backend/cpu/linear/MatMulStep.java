package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;

/**
 * {@code Y = act(A·B + bias)} with B a constant packed once at compile time: Gemm, kiln:FusedGemm, and MatMul whose
 * second input is a 2-D constant (A's leading axes then fold into its rows). The bias, when there is one, is per
 * column; the activation runs in the GEMM's tile epilogue.
 */
final class MatMulStep implements Step {
    private final Node node;
    private final int input;
    private final int output;
    private final boolean transA;
    private final PackedMatrix weights;
    private final MemorySegment bias;
    private final FusedEpilogue.Activation activation;

    MatMulStep(Node node, int input, int output, boolean transA, PackedMatrix weights, MemorySegment bias, FusedEpilogue.Activation activation) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.transA = transA;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
    }

    private record State(InputSegments in, ReusedOutput out, FusedEpilogue epilogue) {}

    @Override
    public Object newState(StepMemory memory) {
        FusedEpilogue.Bias b = bias == null ? null : new FusedEpilogue.Bias(bias, 0, false);
        boolean identity = b == null && activation == FusedEpilogue.Activation.NONE;
        return new State(new InputSegments(1), memory.output(0), identity ? null : new FusedEpilogue(b, activation, null, false));
    }

    @Override
    public void run(Frame frame, Object stateObject) {
        State state = (State) stateObject;
        Tensor a = (Tensor) frame.get(input);
        int k = weights.k(), n = weights.n();
        int rank = a.rank();
        if (rank < 1 || (transA ? a.dim(0) : a.dim(rank - 1)) != k || (transA && rank != 2)) {
            throw new KilnException(node.describe() + ": input A " + java.util.Arrays.toString(a.shape()) + " does not match B's " + k + " rows");
        }
        int m = Math.toIntExact(transA ? a.dim(1) : a.size() / Math.max(1, k));
        Tensor out = transA ? state.out().tensor(m, n) : state.out().tensorLike(a, rank - 1, n);
        frame.gemm().multiply(m, state.in().of(0, a), 0, transA ? m : k, transA, weights, state.out().segment(), 0, n, false, state.epilogue());
        frame.set(output, out);
    }

    @Override
    public String describe() { return node.describe() + ": packed GEMM K=" + weights.k() + " N=" + weights.n(); }
}
