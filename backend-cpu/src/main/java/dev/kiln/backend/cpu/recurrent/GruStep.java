package dev.kiln.backend.cpu.recurrent;

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
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A float32 GRU with linear_before_reset, forward, reverse or bidirectional (see {@link GruBinding}): per direction
 * the input projection {@code x·Wᵀ + Wb} (plus Rb for z and r) for all {@code seq·batch} rows, then per step and batch
 * row the recurrent projection {@code h·Rᵀ} and the fused gate update ({@link GruCell}). The products are plain dot
 * products in float32 (the exported GRUs here have a state of a few dozen), written to buffers made once, so a warm
 * run allocates nothing. Outputs Y {@code [seq, dirs, batch, hidden]} and Y_h {@code [dirs, batch, hidden]}.
 */
final class GruStep implements Step {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One direction's constants: W ({@code 3H × input}) and R ({@code 3H × H}) as ONNX lays them out, the biases. */
    record Direction(float[] w, float[] r, float[] inputBias, float[] recurrentBiasH, boolean reverse) {}

    private final Node node;
    private final int x;
    private final int initialH;
    private final int[] outputs;
    private final int input;
    private final int hidden;
    private final Direction[] directions;

    GruStep(Node node, int x, int initialH, int[] outputs, int input, int hidden, Direction[] directions) {
        this.node = node;
        this.x = x;
        this.initialH = initialH;
        this.outputs = outputs;
        this.input = input;
        this.hidden = hidden;
        this.directions = directions;
    }

    private final class State {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput y;
        final ReusedOutput yh;
        final MemorySegment rec = StateBuffers.atLeast(null, 3L * hidden * Float.BYTES);
        MemorySegment gates;
        MemorySegment h;

        State(StepMemory memory) {
            y = memory.output(0);
            yh = memory.output(1);
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor xt = (Tensor) frame.get(x);
        if (xt.dtype() != DType.F32 || xt.rank() != 3 || xt.dim(2) != input) {
            throw new KilnException(node.describe() + ": X " + Arrays.toString(xt.shape()) + " is not [seq, batch, " + input + "]");
        }
        int seq = (int) xt.dim(0), batch = (int) xt.dim(1), dirs = directions.length, width = 3 * hidden, rows = seq * batch;
        long stateBytes = (long) batch * hidden * Float.BYTES;
        s.gates = StateBuffers.atLeast(s.gates, (long) rows * width * Float.BYTES);
        s.h = StateBuffers.atLeast(s.h, dirs * stateBytes);
        StateBuffers.initialAllDirections(frame, node, s.in, 1, initialH, s.h, dirs * stateBytes, dirs, batch, hidden);
        MemorySegment xs = s.in.of(0, xt);
        Tensor y = outputs[0] == Slots.ABSENT ? null : s.y.tensor(seq, dirs, batch, hidden);
        for (int d = 0; d < dirs; d++) {
            Direction dir = directions[d];
            project(xs, rows, input, dir.w(), dir.inputBias(), s.gates);
            long hBase = d * stateBytes;
            for (int step = 0; step < seq; step++) {
                int t = dir.reverse() ? seq - 1 - step : step;
                for (int b = 0; b < batch; b++) {
                    long hAt = hBase + (long) b * hidden * Float.BYTES;
                    project(s.h, hAt, hidden, dir.r(), s.rec);
                    GruCell.update(s.gates, ((long) t * batch + b) * width * Float.BYTES, s.rec, hidden, dir.recurrentBiasH(), s.h, hAt);
                }
                if (y != null) MemorySegment.copy(s.h, hBase, s.y.segment(), ((long) t * dirs + d) * stateBytes, stateBytes);
            }
        }
        if (y != null) frame.set(outputs[0], y);
        if (outputs[1] != Slots.ABSENT) {
            Tensor yh = s.yh.tensor(dirs, batch, hidden);
            MemorySegment.copy(s.h, 0, s.yh.segment(), 0, dirs * stateBytes);
            frame.set(outputs[1], yh);
        }
    }

    /** {@code out[row, j] = Σ_k a[row, k]·m[j, k] + bias[j]} for {@code rows} rows of {@code k} floats; {@code m} has {@code bias.length} rows. */
    static void project(MemorySegment a, int rows, int k, float[] m, float[] bias, MemorySegment out) {
        int n = bias.length;
        for (int row = 0; row < rows; row++) {
            long aRow = (long) row * k * Float.BYTES;
            for (int j = 0; j < n; j++) {
                float sum = bias[j];
                for (int i = 0; i < k; i++) sum += a.get(F, aRow + i * 4L) * m[j * k + i];
                out.set(F, ((long) row * n + j) * Float.BYTES, sum);
            }
        }
    }

    /** {@code out[j] = Σ_k h[k]·m[j, k]} for the {@code k} floats of h at byte {@code hAt}. */
    static void project(MemorySegment h, long hAt, int k, float[] m, MemorySegment out) {
        int n = m.length / k;
        for (int j = 0; j < n; j++) {
            float sum = 0f;
            for (int i = 0; i < k; i++) sum += h.get(F, hAt + i * 4L) * m[j * k + i];
            out.set(F, j * 4L, sum);
        }
    }

    @Override
    public String describe() {
        return node.describe() + ": GRU, " + directions.length + " direction(s), input projection K=" + input + " N=" + 3 * hidden
                + " + recurrent product and fused gate kernel per step";
    }
}
