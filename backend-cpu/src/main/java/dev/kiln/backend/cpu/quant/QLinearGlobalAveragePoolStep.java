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
 * com.microsoft QLinearGlobalAveragePool on NCHW (channels_last 0) with per-tensor parameters. Each plane sums the
 * dequantized values in double, looked up in a 256-entry table: they are all multiples of one power of two (the
 * ulp of the scale's binade, 2^(e-23)) below 2^(e+10), so up to 2^20 of them add up exactly in double, in any
 * order — the sum is the reference kernel's to the bit; the mean is then rounded to float and quantized as there.
 */
final class QLinearGlobalAveragePoolStep implements Step {
    private final Node node;
    private final int input;
    private final int output;
    private final DType type;
    /** The dequantized value of every input byte (indexed by its unsigned value). */
    private final double[] dequantized = new double[256];
    private final QuantConstants.PerTensor y;

    QLinearGlobalAveragePoolStep(Node node, int input, int output, DType type, QuantConstants.PerTensor x, QuantConstants.PerTensor y) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.type = type;
        this.y = y;
        for (int v = 0; v < 256; v++) dequantized[v] = (((type == DType.U8 ? v : (byte) v) - x.zeroPoint()) * x.scale());
    }

    private record State(InputSegments in, ReusedOutput out) {}

    @Override
    public Object newState(StepMemory memory) { return new State(new InputSegments(1), memory.output(0, type)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() < 3) throw new IllegalStateException(node.describe() + ": input must have rank >= 3, got " + x.rank());
        Tensor result = x.rank() == 4 ? s.out.tensor(x.dim(0), x.dim(1), 1, 1) : s.out.tensor(ones(x));
        MemorySegment from = s.in.of(0, x), to = s.out.segment();
        long planes = x.dim(0) * x.dim(1);
        long volume = planes == 0 ? 0 : x.size() / planes;
        int lo = type == DType.U8 ? 0 : -128, hi = type == DType.U8 ? 255 : 127;
        for (long p = 0; p < planes; p++) {
            double sum = 0;
            for (long k = p * volume, end = k + volume; k < end; k++) sum += dequantized[from.get(ValueLayout.JAVA_BYTE, k) & 0xFF];
            float mean = (float) (sum / volume);
            float q = mean / y.scale();
            to.set(ValueLayout.JAVA_BYTE, p, (byte) Math.clamp(Math.rint(q) + y.zeroPoint(), lo, hi));
        }
        frame.set(output, result);
    }

    private static long[] ones(Tensor x) {
        long[] shape = x.shape();
        java.util.Arrays.fill(shape, 2, shape.length, 1);
        return shape;
    }

    @Override
    public String describe() { return node.describe() + ": int8 global average pool"; }
}
