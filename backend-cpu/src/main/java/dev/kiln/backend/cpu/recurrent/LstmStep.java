package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A forward LSTM (see {@link RecurrentFamily} for which): {@code G = X·Wᵀ + Wb + Rb} for all {@code seq·batch} rows
 * in one GEMM, then per time step and batch row {@code G_t += h·Rᵀ} and the fused gate update. Outputs Y
 * {@code [seq, 1, batch, hidden]}, Y_h and Y_c {@code [1, batch, hidden]}; buffers are kept per runner, so a warm run
 * allocates nothing.
 */
final class LstmStep implements Step {
    private static final LstmCell CELL = new LstmCell();

    private final Node node;
    private final int x;
    private final int initialH;
    private final int initialC;
    private final int[] outputs;
    private final int input;
    private final int hidden;
    private final PackedMatrix w;
    private final MemorySegment rt;
    private final MemorySegment bias;

    LstmStep(Node node, int x, int initialH, int initialC, int[] outputs, int input, int hidden, PackedMatrix w,
             MemorySegment rt, MemorySegment bias) {
        this.node = node;
        this.x = x;
        this.initialH = initialH;
        this.initialC = initialC;
        this.outputs = outputs;
        this.input = input;
        this.hidden = hidden;
        this.w = w;
        this.rt = rt;
        this.bias = bias;
    }

    private static final class State {
        final InputSegments in = new InputSegments(3);
        final ReusedOutput y;
        final ReusedOutput yh;
        final ReusedOutput yc;
        MemorySegment gates;
        MemorySegment h;
        MemorySegment c;
        FusedEpilogue epilogue;

        State(StepMemory memory) {
            y = memory.output(0);
            yh = memory.output(1);
            yc = memory.output(2);
        }
    }

    @Override
    public Object newState(StepMemory memory) {
        State s = new State(memory);
        if (bias != null) s.epilogue = new FusedEpilogue(new FusedEpilogue.Bias(bias, 0, false), FusedEpilogue.Activation.NONE, null, false);
        return s;
    }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor xt = (Tensor) frame.get(x);
        if (xt.dtype() != DType.F32 || xt.rank() != 3 || xt.dim(2) != input) {
            throw new KilnException(node.describe() + ": X " + Arrays.toString(xt.shape()) + " is not [seq, batch, " + input + "]");
        }
        int seq = (int) xt.dim(0), batch = (int) xt.dim(1), gateWidth = 4 * hidden;
        long stateBytes = (long) batch * hidden * Float.BYTES;
        s.gates = StateBuffers.atLeast(s.gates, (long) seq * batch * gateWidth * Float.BYTES);
        s.h = StateBuffers.atLeast(s.h, stateBytes);
        s.c = StateBuffers.atLeast(s.c, stateBytes);
        StateBuffers.initial(frame, node, s.in, 1, initialH, s.h, batch, hidden);
        StateBuffers.initial(frame, node, s.in, 2, initialC, s.c, batch, hidden);
        frame.gemm().multiply(seq * batch, s.in.of(0, xt), 0, input, false, w, s.gates, 0, gateWidth, false, s.epilogue);
        Tensor y = outputs[0] == Slots.ABSENT ? null : s.y.tensor(seq, 1, batch, hidden);
        for (int t = 0; t < seq; t++) {
            for (int b = 0; b < batch; b++) {
                long g = ((long) t * batch + b) * gateWidth * Float.BYTES, hb = (long) b * hidden * Float.BYTES;
                CELL.recurrent(s.h, hb, hidden, rt, s.gates, g, gateWidth);
                CELL.update(s.gates, g, hidden, s.c, hb, s.h, hb);
            }
            if (y != null) MemorySegment.copy(s.h, 0, s.y.segment(), t * stateBytes, stateBytes);
        }
        if (y != null) frame.set(outputs[0], y);
        if (outputs[1] != Slots.ABSENT) frame.set(outputs[1], StateBuffers.finalState(s.yh, s.h, batch, hidden));
        if (outputs[2] != Slots.ABSENT) frame.set(outputs[2], StateBuffers.finalState(s.yc, s.c, batch, hidden));
    }

    @Override
    public String describe() {
        return node.describe() + ": LSTM, input GEMM K=" + input + " N=" + 4 * hidden + " + fused gate kernel per step";
    }
}
