package dev.kiln.backend.cpu.pool;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.backend.cpu.parallel.WorkerPool;
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
 * sliding window visits only its in-bounds taps, so padding never needs materializing, and reduces the window's
 * rows with vectors before its columns; planes are split over the threads. Average divides by the taps
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

    /** Planes from which a sliding pool is split over the threads: below, a hand-off costs more than it saves. */
    static final long PARALLEL_MIN_OUTPUTS = 1 << 14;

    /** One runner's buffers, the current call's operands for the worker bodies, and per-worker row accumulators. */
    private final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        final WorkerPool.RangeBody planes = this::planes;
        /** Per worker: a row accumulator ({@code w} floats), an output row ({@code outW}) and the window reductions at every column ({@code w}). */
        float[][] rows = new float[0][];
        MemorySegment x;
        MemorySegment y;
        int h, w, outH, outW;

        void planes(int worker, int from, int to) {
            long planeIn = (long) h * w * Float.BYTES, planeOut = (long) outH * outW * Float.BYTES;
            for (int p = from; p < to; p++) slide(x, p * planeIn, h, w, outH, outW, y, p * planeOut, rows[worker]);
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() != 4) throw new KilnException(node.describe() + ": expected an NCHW input, got rank " + x.rank());
        int planes = (int) (x.dim(0) * x.dim(1)), h = (int) x.dim(2), w = (int) x.dim(3);
        int outH = window == null ? 1 : window.outH(h), outW = window == null ? 1 : window.outW(w);
        if (outH < 1 || outW < 1) throw new KilnException(node.describe() + ": the window does not fit the " + h + "×" + w + " input");
        Tensor y = s.out.tensor(x.dim(0), x.dim(1), outH, outW);
        MemorySegment in = s.in.of(0, x), out = s.out.segment();
        if (window == null) {
            long planeIn = (long) h * w * Float.BYTES;
            for (int p = 0; p < planes; p++) out.set(F, p * (long) Float.BYTES, global(in, p * planeIn, h * w));
        } else {
            int threads = frame.pool().threads();
            if (s.rows.length != threads || s.rows[0].length < 2 * w + outW) s.rows = new float[threads][2 * w + outW];
            s.x = in;
            s.y = out;
            s.h = h;
            s.w = w;
            s.outH = outH;
            s.outW = outW;
            if (threads > 1 && (long) planes * outH * outW >= PARALLEL_MIN_OUTPUTS) frame.pool().parallelFor(planes, s.planes);
            else s.planes(0, 0, planes);
            s.x = s.y = null;
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

    /**
     * One plane: per output row, the window's input rows are first reduced column by column into {@code acc} (whole
     * rows, vectors), then each output reduces its {@code kW} taps of {@code acc} into {@code acc[w:w+outW]}, copied
     * out as one row. Validity is separable, so the in-bounds taps are the valid rows times the valid columns.
     */
    private void slide(MemorySegment in, long plane, int h, int w, int outH, int outW, MemorySegment out, long outPlane, float[] acc) {
        PoolWindow g = window;
        for (int oh = 0; oh < outH; oh++) {
            int h0 = oh * g.strideH() - g.padTop(), rows = 0;
            for (int i = 0; i < g.kH(); i++) {
                int ih = h0 + i * g.dilationH();
                if (ih < 0 || ih >= h) continue;
                accumulateRow(in, plane + (long) ih * w * Float.BYTES, w, acc, rows++ == 0);
            }
            int lastTap = (g.kW() - 1) * g.dilationW(), windows = rows > 0 ? reduceWindows(acc, w, lastTap, w + outW) : 0;
            float interiorDivisor = countPad ? g.kH() * g.kW() : rows * g.kW();
            for (int ow = 0; ow < outW; ow++) {
                int w0 = ow * g.strideW() - g.padLeft(), cols = 0;
                float a;
                if (w0 >= 0 && w0 < windows) {
                    // Interior window: reduced with vectors above, every tap valid.
                    a = acc[w + outW + w0];
                    acc[w + ow] = max ? a : a / interiorDivisor;
                    continue;
                }
                a = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int j = 0; j < g.kW() && rows > 0; j++) {
                    int iw = w0 + j * g.dilationW();
                    if (iw < 0 || iw >= w) continue;
                    a = max ? Math.max(a, acc[iw]) : a + acc[iw];
                    cols++;
                }
                acc[w + ow] = max ? a : a / (countPad ? g.kH() * g.kW() : Math.max(1, rows * cols));
            }
            MemorySegment.copy(acc, w, out, F, outPlane + (long) oh * outW * Float.BYTES, outW);
        }
    }

    /**
     * Reduces the window's {@code kW} taps at every start column whose window lies inside the row, from
     * {@code acc[0:w]} into {@code acc[into:]}, a vector of start columns at a time (the taps are shifted loads);
     * returns how many start columns there are.
     */
    private int reduceWindows(float[] acc, int w, int lastTap, int into) {
        int windows = Math.max(0, w - lastTap), dW = window.dilationW(), kW = window.kW(), x = 0;
        for (int bound = S.loopBound(windows); x < bound; x += S.length()) {
            FloatVector a = FloatVector.fromArray(S, acc, x);
            for (int j = 1; j < kW; j++) {
                FloatVector t = FloatVector.fromArray(S, acc, x + j * dW);
                a = max ? a.max(t) : a.add(t);
            }
            a.intoArray(acc, into + x);
        }
        for (; x < windows; x++) {
            float a = acc[x];
            for (int j = 1; j < kW; j++) a = max ? Math.max(a, acc[x + j * dW]) : a + acc[x + j * dW];
            acc[into + x] = a;
        }
        return windows;
    }

    /** {@code acc[0:w] = row} when {@code first}, else {@code acc = max(acc, row)} or {@code acc + row}. */
    private void accumulateRow(MemorySegment in, long row, int w, float[] acc, boolean first) {
        if (first) {
            MemorySegment.copy(in, F, row, acc, 0, w);
            return;
        }
        int j = 0;
        for (int bound = S.loopBound(w); j < bound; j += S.length()) {
            FloatVector v = FloatVector.fromMemorySegment(S, in, row + (long) j * Float.BYTES, ByteOrder.LITTLE_ENDIAN);
            FloatVector a = FloatVector.fromArray(S, acc, j);
            (max ? a.max(v) : a.add(v)).intoArray(acc, j);
        }
        for (; j < w; j++) {
            float v = in.get(F, row + (long) j * Float.BYTES);
            acc[j] = max ? Math.max(acc[j], v) : acc[j] + v;
        }
    }

    @Override
    public String describe() { return node.describe() + ": " + (window == null ? "global " : "") + (max ? "max" : "average") + " pooling"; }
}
