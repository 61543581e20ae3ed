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
 * A forward {@code com.microsoft:DynamicQuantizeLSTM} (see {@link DynamicLstmBinding} for which): X quantized to uint8
 * straight into the packed A of one int8 GEMM for all {@code seq·batch} rows against W packed at compile time, the
 * epilogue dequantizing into the gate pre-activations with the biases ({@link GateDequantize}); then per time step
 * the batch's hidden states quantized together, {@code h·R} in int32 per row ({@link QuantRecurrentProduct}) and the
 * float LSTM's fused gate kernel ({@link LstmCell#update}). Same outputs and layout as {@link LstmStep}.
 */
final class DynamicLstmStep implements Step {
    private static final LstmCell CELL = new LstmCell();

    private final Node node;
    private final int x;
    private final int initialH;
    private final int initialC;
    private final int[] outputs;
    private final int input;
    private final int hidden;
    private final PackedRight w;
    private final float[] wScale;
    private final float[] bias;
    private final int[] r;
    private final float[] rScale;
    private final VectorSpecies<Integer> species;

    DynamicLstmStep(Node node, int x, int initialH, int initialC, int[] outputs, int input, int hidden, PackedRight w,
                    float[] wScale, float[] bias, int[] r, float[] rScale, VectorSpecies<Integer> species) {
        this.node = node;
        this.x = x;
        this.initialH = initialH;
        this.initialC = initialC;
        this.outputs = outputs;
        this.input = input;
        this.hidden = hidden;
        this.w = w;
        this.wScale = wScale;
        this.bias = bias;
        this.r = r;
        this.rScale = rScale;
        this.species = species;
    }

    private final class State {
        final InputSegments in = new InputSegments(3);
        final ReusedOutput y;
        final ReusedOutput yh;
        final ReusedOutput yc;
        final QuantGemm gemm = new QuantGemm(species);
        final GateDequantize epilogue = new GateDequantize(wScale, bias);
        final ActivationQuantizer quantizer = new ActivationQuantizer();
        PackedLeft xq;
        int[] hq = new int[0];
        MemorySegment gates;
        MemorySegment h;
        MemorySegment c;

        State(StepMemory memory) {
            y = memory.output(0);
            yh = memory.output(1);
            yc = memory.output(2);
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
        int seq = (int) xt.dim(0), batch = (int) xt.dim(1), gateWidth = 4 * hidden, rows = seq * batch;
        long stateBytes = (long) batch * hidden * Float.BYTES;
        s.gates = StateBuffers.atLeast(s.gates, (long) rows * gateWidth * Float.BYTES);
        s.h = StateBuffers.atLeast(s.h, stateBytes);
        s.c = StateBuffers.atLeast(s.c, stateBytes);
        if (s.hq.length < batch * hidden) s.hq = new int[batch * hidden];
        StateBuffers.initial(frame, node, s.in, 1, initialH, s.h, batch, hidden);
        StateBuffers.initial(frame, node, s.in, 2, initialC, s.c, batch, hidden);
        if (s.xq == null || s.xq.m() != rows) s.xq = s.gemm.newLeft(rows, input);
        // packed A is row-major micro-panels, so row i starts at i·input; the padding rows stay zero
        float xScale = s.quantizer.quantize(s.in.of(0, xt), 0, rows * input, s.xq.data(), 0);
        s.epilogue.scale(s.gates, xScale);
        s.gemm.multiply(s.xq, w, s.epilogue);
        Tensor y = outputs[0] == Slots.ABSENT ? null : s.y.tensor(seq, 1, batch, hidden);
        for (int t = 0; t < seq; t++) {
            float hScale = s.quantizer.quantize(s.h, 0, batch * hidden, s.hq, 0);
            for (int b = 0; b < batch; b++) {
                long g = ((long) t * batch + b) * gateWidth * Float.BYTES, hb = (long) b * hidden * Float.BYTES;
                QuantRecurrentProduct.multiplyAdd(s.hq, b * hidden, hidden, r, s.gates, g, hScale, rScale);
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
        return node.describe() + ": DynamicQuantizeLSTM, int8 input GEMM K=" + input + " N=" + 4 * hidden
                + " + int32 recurrent product and fused gate kernel per step";
    }
}
