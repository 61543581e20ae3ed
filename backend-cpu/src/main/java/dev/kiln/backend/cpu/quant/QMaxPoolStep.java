package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * 2-D MaxPool on int8 or uint8 NCHW (floor mode, explicit pads smaller than the kernel, no Indices): the maximum
 * of the integers is the quantized maximum, so it is exact. Per output row, the window's valid input rows are
 * maxed into a row of bytes with vectors, then each output maxes its valid columns. uint8 is compared as int8
 * with the sign bit flipped (an order-preserving bijection), flipped back on the way out.
 */
final class QMaxPoolStep implements Step {
    /** Window geometry: kernel, strides, leading pads and dilations along H and W. */
    record Window(int kH, int kW, int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW) {
        int outH(int h) { return (h + padTop + padBottom - ((kH - 1) * dilationH + 1)) / strideH + 1; }

        int outW(int w) { return (w + padLeft + padRight - ((kW - 1) * dilationW + 1)) / strideW + 1; }
    }

    private final Node node;
    private final int input;
    private final int output;
    private final DType type;
    private final Window g;
    private final VectorSpecies<Byte> bytes;
    private final byte flip;

    QMaxPoolStep(Node node, int input, int output, DType type, Window window, VectorSpecies<Byte> bytes) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.type = type;
        this.g = window;
        this.bytes = bytes;
        this.flip = type == DType.U8 ? (byte) 0x80 : 0;
    }

    private static final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;
        byte[] row = new byte[0];

        State(ReusedOutput out) { this.out = out; }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory.output(0, type)); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() != 4) throw new KilnException(node.describe() + ": expected an NCHW input, got rank " + x.rank());
        int planes = (int) (x.dim(0) * x.dim(1)), h = (int) x.dim(2), w = (int) x.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        if (outH < 1 || outW < 1) throw new KilnException(node.describe() + ": the window does not fit the " + h + "×" + w + " input");
        Tensor y = s.out.tensor(x.dim(0), x.dim(1), outH, outW);
        if (s.row.length < w) s.row = new byte[w];
        MemorySegment in = s.in.of(0, x), out = s.out.segment();
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                rowMax(in, (long) p * h * w, h, w, oh * g.strideH() - g.padTop(), s.row);
                long at = ((long) p * outH + oh) * outW;
                for (int ow = 0; ow < outW; ow++) out.set(ValueLayout.JAVA_BYTE, at + ow, (byte) (columnMax(s.row, w, ow * g.strideW() - g.padLeft()) ^ flip));
            }
        }
        frame.set(output, y);
    }

    /** {@code row[0:w]} = the maximum (sign-flipped for uint8) of the window's valid input rows from {@code h0}. */
    private void rowMax(MemorySegment in, long plane, int h, int w, int h0, byte[] row) {
        boolean first = true;
        for (int i = 0; i < g.kH(); i++) {
            int ih = h0 + i * g.dilationH();
            if (ih < 0 || ih >= h) continue;
            long base = plane + (long) ih * w;
            int j = 0;
            for (int bound = bytes.loopBound(w); j < bound; j += bytes.length()) {
                ByteVector v = ByteVector.fromMemorySegment(bytes, in, base + j, ByteOrder.LITTLE_ENDIAN).lanewise(jdk.incubator.vector.VectorOperators.XOR, flip);
                (first ? v : v.max(ByteVector.fromArray(bytes, row, j))).intoArray(row, j);
            }
            for (; j < w; j++) {
                byte v = (byte) (in.get(ValueLayout.JAVA_BYTE, base + j) ^ flip);
                row[j] = first ? v : (byte) Math.max(row[j], v);
            }
            first = false;
        }
    }

    /** The maximum of {@code row}'s valid taps of the window from column {@code w0}. */
    private int columnMax(byte[] row, int w, int w0) {
        int best = Integer.MIN_VALUE;
        for (int j = 0; j < g.kW(); j++) {
            int iw = w0 + j * g.dilationW();
            if (iw >= 0 && iw < w) best = Math.max(best, row[iw]);
        }
        return best;
    }

    @Override
    public String describe() { return node.describe() + ": int8 max pooling"; }
}
