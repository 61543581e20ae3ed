package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * com.microsoft QLinearConcat with per-tensor parameters: each input's runs along the axis are copied into the
 * output, as they are when the input's scale and zero point equal the output's (requantizing then gives every value
 * back: the float round trip is off by far less than half a step), else through a 256-entry table of the
 * requantized byte of every input byte, computed once at bind time by the reference arithmetic.
 */
final class QLinearConcatStep implements Step {
    private final Node node;
    private final int[] inputs;
    private final int output;
    private final int axis;
    private final DType type;
    /** Per input: null for a plain copy, else the output byte of each input byte (indexed by its unsigned value). */
    private final byte[][] tables;

    QLinearConcatStep(Node node, int[] inputs, int output, int axis, DType type, byte[][] tables) {
        this.node = node;
        this.inputs = inputs;
        this.output = output;
        this.axis = axis;
        this.type = type;
        this.tables = tables;
    }

    /** The table mapping every byte of {@code from} to {@code to}'s byte, or null when the two are the same quantization. */
    static byte[] requantization(QuantConstants.PerTensor from, QuantConstants.PerTensor to, boolean unsigned) {
        if (from.equals(to)) return null;
        byte[] table = new byte[256];
        for (int v = 0; v < 256; v++) {
            int x = unsigned ? v : (byte) v;
            float real = (x - from.zeroPoint()) * from.scale();
            float q = real / to.scale();
            table[v] = (byte) Math.clamp(Math.rint(q) + to.zeroPoint(), unsigned ? 0 : -128, unsigned ? 255 : 127);
        }
        return table;
    }

    private record State(InputSegments in, ReusedOutput out) {}

    @Override
    public Object newState(StepMemory memory) { return new State(new InputSegments(inputs.length), memory.output(0, type)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor first = (Tensor) frame.get(inputs[0]);
        int ax = axis < 0 ? axis + first.rank() : axis;
        long total = 0;
        for (int in : inputs) total += ((Tensor) frame.get(in)).dim(ax);
        Tensor y = s.out.tensorLike(first, ax, total);
        long inner = 1;
        for (int d = ax + 1; d < first.rank(); d++) inner *= first.dim(d);
        long outer = 1;
        for (int d = 0; d < ax; d++) outer *= first.dim(d);
        long outRun = total * inner;
        MemorySegment to = s.out.segment();
        long at = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = (Tensor) frame.get(inputs[i]);
            MemorySegment from = s.in.of(i, x);
            long run = x.dim(ax) * inner;
            for (long o = 0; o < outer; o++) {
                if (tables[i] == null) MemorySegment.copy(from, o * run, to, o * outRun + at, run);
                else translate(from, o * run, to, o * outRun + at, run, tables[i]);
            }
            at += run;
        }
        frame.set(output, y);
    }

    private static void translate(MemorySegment from, long fromAt, MemorySegment to, long toAt, long n, byte[] table) {
        for (long k = 0; k < n; k++) to.set(ValueLayout.JAVA_BYTE, toAt + k, table[from.get(ValueLayout.JAVA_BYTE, fromAt + k) & 0xFF]);
    }

    @Override
    public String describe() { return node.describe() + ": int8 concat, requantizing copies"; }
}
