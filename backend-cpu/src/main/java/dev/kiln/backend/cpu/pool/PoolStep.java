package dev.kiln.backend.cpu.pool;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Max or average pooling over each NCHW plane. Global pooling sums or maxes the contiguous plane with vectors; a
 * sliding window visits only its in-bounds taps, so padding never needs materializing. Average divides by the taps
 * inside the input, or by the whole window with {@code count_include_pad} (floor mode only, so every window lies
 * within the padded input).
 */
final class PoolStep implements Step {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int output;
    private final boolean max;
    private final boolean countPad;
    private final PoolWindow window;

    /** @param window the sliding window, or null for global pooling */
    PoolStep(Node node, int input, int output, boolean max, boolean countPad, PoolWindow window) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.max = max;
        this.countPad = countPad;
        this.window = window;
    }

    private record State(InputSegments in, ReusedOutput out) {}

    @Override
    public Object newState() { return new State(new InputSegments(1), new ReusedOutput()); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() != 4) throw new KilnException(node.describe() + ": expected an NCHW input, got rank " + x.rank());
        int planes = (int) (x.dim(0) * x.dim(1)), h = (int) x.dim(2), w = (int) x.dim(3);
        int outH = window == null ? 1 : window.outH(h), outW = window == null ? 1 : window.outW(w);
        if (outH < 1 || outW < 1) throw new KilnException(node.describe() + ": the window does not fit the " + h + "×" + w + " input");
        Tensor y = s.out().tensor(x.dim(0), x.dim(1), outH, outW);
        MemorySegment in = s.in().of(0, x), out = s.out().segment();
        long planeIn = (long) h * w * Float.BYTES, planeOut = (long) outH * outW * Float.BYTES;
        for (int p = 0; p < planes; p++) {
            if (window == null) out.set(F, p * planeOut, global(in, p * planeIn, h * w));
            else slide(in, p * planeIn, h, w, outH, outW, out, p * planeOut);
        }
        frame.set(output, y);
    }

    private float global(MemorySegment in, long offset, int n) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : 0f);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromMemorySegment(S, in, offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN);
            acc = max ? acc.max(v) : acc.add(v);
        }
        float r = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.ADD);
        for (; i < n; i++) {
            float v = in.get(F, offset + (long) i * Float.BYTES);
            r = max ? Math.max(r, v) : r + v;
        }
        return max ? r : r / n;
    }

    private void slide(MemorySegment in, long plane, int h, int w, int outH, int outW, MemorySegment out, long outPlane) {
        PoolWindow g = window;
        for (int oh = 0; oh < outH; oh++) {
            int h0 = oh * g.strideH() - g.padTop();
            for (int ow = 0; ow < outW; ow++) {
                int w0 = ow * g.strideW() - g.padLeft();
                float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                int taps = 0;
                for (int i = 0; i < g.kH(); i++) {
                    int ih = h0 + i * g.dilationH();
                    if (ih < 0 || ih >= h) continue;
                    long row = plane + (long) ih * w * Float.BYTES;
                    for (int j = 0; j < g.kW(); j++) {
                        int iw = w0 + j * g.dilationW();
                        if (iw < 0 || iw >= w) continue;
                        float v = in.get(F, row + (long) iw * Float.BYTES);
                        acc = max ? Math.max(acc, v) : acc + v;
                        taps++;
                    }
                }
                float value = max ? acc : acc / (countPad ? g.kH() * g.kW() : Math.max(1, taps));
                out.set(F, outPlane + ((long) oh * outW + ow) * Float.BYTES, value);
            }
        }
    }

    @Override
    public String describe() { return node.describe() + ": " + (window == null ? "global " : "") + (max ? "max" : "average") + " pooling"; }
}
