package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.backend.cpu.qgemm.PackedLeft;
import dev.kiln.backend.cpu.qgemm.PackedRight;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A {@code kiln:DynamicQuantizeGRU} with linear_before_reset, forward, reverse or bidirectional (see
 * {@link DynamicGruBinding}): X quantized once into the packed A, per direction one int8 GEMM for all {@code seq·batch}
 * rows dequantized into the gate pre-activations ({@link GateDequantize}, with Wb + Rb for z and r, Wb for h), then
 * per step the direction's hidden states quantized together, {@code h·R} per row ({@link QuantRecurrentProduct}) and
 * the fused gate update ({@link GruCell}). Outputs Y {@code [seq, dirs, batch, hidden]} and Y_h {@code [dirs, batch,
 * hidden]}.
 */
final class DynamicGruStep implements Step {
    /** One direction's constants: W packed for the GEMM, R widened, scales, the input-side bias and Rb_h. */
    record Direction(PackedRight w, float[] wScale, float[] inputBias, int[] r, float[] rScale, float[] recurrentBiasH, boolean reverse) {}

    private final Node node;
    private final int x;
    private final int initialH;
    private final int[] outputs;
    private final int input;
    private final int hidden;
    private final Direction[] directions;
    private final VectorSpecies<Integer> species;

    DynamicGruStep(Node node, int x, int initialH, int[] outputs, int input, int hidden, Direction[] directions, VectorSpecies<Integer> species) {
        this.node = node;
        this.x = x;
        this.initialH = initialH;
        this.outputs = outputs;
        this.input = input;
        this.hidden = hidden;
        this.directions = directions;
        this.species = species;
    }

    private final class State {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput y;
        final ReusedOutput yh;
        final QuantGemm gemm = new QuantGemm(species);
        final GateDequantize[] epilogues = new GateDequantize[directions.length];
        final ActivationQuantizer quantizer = new ActivationQuantizer();
        final MemorySegment rec = StateBuffers.atLeast(null, 3L * hidden * Float.BYTES);
        PackedLeft xq;
        int[] hq = new int[0];
        MemorySegment gates;
        MemorySegment h;
        /** Each direction's part of h, cut once per buffer and batch size (a slice per run would allocate). */
        MemorySegment[] hs = new MemorySegment[directions.length];

        State(StepMemory memory) {
            y = memory.output(0);
            yh = memory.output(1);
            for (int d = 0; d < directions.length; d++) epilogues[d] = new GateDequantize(directions[d].wScale(), directions[d].inputBias());
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
        long stateBytes = (long) batch * hidden * Float.BYTES, gatesBytes = (long) rows * width * Float.BYTES;
        s.gates = StateBuffers.atLeast(s.gates, gatesBytes);
        MemorySegment previous = s.h;
        s.h = StateBuffers.atLeast(s.h, dirs * stateBytes);
        if (s.h != previous || s.hs[0] == null || s.hs[0].byteSize() != stateBytes) {
            for (int d = 0; d < dirs; d++) s.hs[d] = s.h.asSlice(d * stateBytes, stateBytes);
        }
        if (s.hq.length < batch * hidden) s.hq = new int[batch * hidden];
        StateBuffers.initialAllDirections(frame, node, s.in, 1, initialH, s.h, dirs * stateBytes, dirs, batch, hidden);
        if (s.xq == null || s.xq.m() != rows) s.xq = s.gemm.newLeft(rows, input);
        float xScale = s.quantizer.quantize(s.in.of(0, xt), 0, rows * input, s.xq.data(), 0);
        Tensor y = outputs[0] == Slots.ABSENT ? null : s.y.tensor(seq, dirs, batch, hidden);
        for (int d = 0; d < dirs; d++) {
            Direction dir = directions[d];
            s.epilogues[d].scale(s.gates, xScale);
            s.gemm.multiply(s.xq, dir.w(), s.epilogues[d]);
            MemorySegment h = s.hs[d];
            for (int step = 0; step < seq; step++) {
                int t = dir.reverse() ? seq - 1 - step : step;
                float hScale = s.quantizer.quantize(h, 0, batch * hidden, s.hq, 0);
                for (int b = 0; b < batch; b++) {
                    s.rec.fill((byte) 0);
                    QuantRecurrentProduct.multiplyAdd(s.hq, b * hidden, hidden, dir.r(), s.rec, 0, hScale, dir.rScale());
                    GruCell.update(s.gates, ((long) t * batch + b) * width * Float.BYTES, s.rec, hidden, dir.recurrentBiasH(), h, (long) b * hidden * Float.BYTES);
                }
                if (y != null) MemorySegment.copy(h, 0, s.y.segment(), ((long) t * dirs + d) * stateBytes, stateBytes);
            }
        }
        if (y != null) frame.set(outputs[0], y);
        if (outputs[1] != Slots.ABSENT) {
            Tensor yh = s.yh.tensor(dirs, batch, hidden);
            MemorySegment.copy(s.h, 0, s.yh.segment(), 0, dirs * stateBytes);
            frame.set(outputs[1], yh);
        }
    }

    @Override
    public String describe() {
        return node.describe() + ": DynamicQuantizeGRU, " + directions.length + " direction(s), int8 input GEMM K=" + input + " N=" + 3 * hidden
                + " + int32 recurrent product and fused gate kernel per step";
    }
}
