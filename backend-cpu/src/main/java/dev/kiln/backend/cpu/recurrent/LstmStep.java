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

import java.lang.foreign.Arena;
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
        s.gates = atLeast(s.gates, (long) seq * batch * gateWidth * Float.BYTES);
        s.h = atLeast(s.h, stateBytes);
        s.c = atLeast(s.c, stateBytes);
        initial(frame, s, 1, initialH, s.h, batch, stateBytes);
        initial(frame, s, 2, initialC, s.c, batch, stateBytes);
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
        if (outputs[1] != Slots.ABSENT) frame.set(outputs[1], finalState(s.yh, s.h, batch, stateBytes));
        if (outputs[2] != Slots.ABSENT) frame.set(outputs[2], finalState(s.yc, s.c, batch, stateBytes));
    }

    /** The initial state from its input ([1, batch, hidden]), or zeros without one. */
    private void initial(Frame frame, State s, int which, int slot, MemorySegment into, int batch, long bytes) {
        if (slot == Slots.ABSENT) {
            into.asSlice(0, bytes).fill((byte) 0);
            return;
        }
        Tensor t = (Tensor) frame.get(slot);
        if (t.dtype() != DType.F32 || t.size() != (long) batch * hidden) {
            throw new KilnException(node.describe() + ": initial state " + Arrays.toString(t.shape()) + " is not [1, " + batch + ", " + hidden + "]");
        }
        MemorySegment.copy(s.in.of(which, t), 0, into, 0, bytes);
    }

    private Tensor finalState(ReusedOutput out, MemorySegment from, int batch, long bytes) {
        Tensor t = out.tensor(1, batch, hidden);
        MemorySegment.copy(from, 0, out.segment(), 0, bytes);
        return t;
    }

    private static MemorySegment atLeast(MemorySegment s, long bytes) {
        return s != null && s.byteSize() >= bytes ? s : Arena.ofAuto().allocate(Math.max(bytes, 64), 64);
    }

    @Override
    public String describe() {
        return node.describe() + ": LSTM, input GEMM K=" + input + " N=" + 4 * hidden + " + fused gate kernel per step";
    }
}
