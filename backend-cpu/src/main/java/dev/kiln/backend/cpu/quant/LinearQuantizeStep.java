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
import java.nio.ByteOrder;

/**
 * QuantizeLinear and DequantizeLinear with one constant scale and zero point, float32 on the float side and int8 or
 * uint8 on the other: the boundaries of a quantized graph, which the reference kernel would run through doubles
 * and a fresh tensor. Float32 arithmetic gives the reference's results exactly: {@code x / scale} rounded to float
 * is what it computes in double and rounds, and {@code (q - zp) · scale} is exact in double before its rounding.
 */
final class LinearQuantizeStep implements Step {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int output;
    private final boolean quantize;
    private final DType quantized;
    private final float scale;
    private final int zeroPoint;

    LinearQuantizeStep(Node node, int input, int output, boolean quantize, DType quantized, float scale, int zeroPoint) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.quantize = quantize;
        this.quantized = quantized;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
    }

    private record State(InputSegments in, ReusedOutput out) {}

    @Override
    public Object newState(StepMemory memory) { return new State(new InputSegments(1), memory.output(0, quantize ? quantized : DType.F32)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        MemorySegment from = s.in.of(0, x);
        Tensor y = s.out.tensorLike(x);
        MemorySegment to = s.out.segment();
        int n = x.size();
        if (quantize) {
            int lo = QuantConstants.lo(quantized), hi = QuantConstants.hi(quantized);
            for (int i = 0; i < n; i++) {
                float q = from.get(FLOAT, 4L * i) / scale;
                // NaN saturates to 0, as the reference does.
                int v = q != q ? 0 : (int) Math.clamp(Math.rint(q) + zeroPoint, lo, hi);
                to.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            }
        } else {
            boolean unsigned = quantized == DType.U8;
            for (int i = 0; i < n; i++) {
                byte b = from.get(ValueLayout.JAVA_BYTE, i);
                to.set(FLOAT, 4L * i, ((unsigned ? b & 0xFF : b) - zeroPoint) * scale);
            }
        }
        frame.set(output, y);
    }

    @Override
    public String describe() { return node.describe() + ": " + (quantize ? "quantize" : "dequantize") + " per tensor (int8)"; }
}
