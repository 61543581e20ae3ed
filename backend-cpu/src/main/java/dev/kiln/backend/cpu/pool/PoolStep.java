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
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Max or average pooling over each NCHW plane. Global pooling sums or maxes the contiguous plane with vectors; a
 * sliding window reduces its in-bounds rows, then its columns over a row framed by the identity (so padding is
 * never materialized in the input), then picks every stride-th start — all in whole vectors over arrays with slack; planes
 * are split over the threads. Average divides by the taps
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
    /** Lanes {@code 0, strideW, 2·strideW, …}: the window starts a vector of starts contributes outputs at. */
    private final VectorMask<Float> strideLanes;

    /** @param window the sliding window, or null for global pooling */
    PoolStep(Node node, int input, int output, boolean max, boolean countPad, PoolWindow window) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.max = max;
        this.countPad = countPad;
        this.window = window;
        boolean[] lanes = new boolean[S.length()];
        for (int k = 0; window != null && k < startsPerVector(); k++) lanes[k * window.strideW()] = true;
        this.strideLanes = VectorMask.fromArray(S, lanes, 0);
    }

    /** Planes from which a sliding pool is split over the threads: below, a hand-off costs more than it saves. */
    static final long PARALLEL_MIN_OUTPUTS = 1 << 14;

    /** One runner's buffers, the current call's operands for the worker bodies, and per-worker plane scratch. */
    private final class State {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        final WorkerPool.RangeBody planes = this::planes;
        /** Per worker: a plane read whole, pooled rows, window starts and output plane (see {@link PlaneScratch}). */
        PlaneScratch[] scratch = new PlaneScratch[0];
        /** Per output column, the taps inside the row (average pooling without {@code count_include_pad}). */
        float[] columnTaps;
        /** Per output row, its first in-bounds input row and how many there are (the same for every plane). */
        int[] firstRow, validRows;
        MemorySegment x;
        MemorySegment y;
        int h = -1, w = -1, outH = -1, outW = -1;

        void planes(int worker, int from, int to) {
            PlaneScratch s = scratch[worker];
            for (int p = from; p < to; p += s.batch) slide(x, y, p, Math.min(s.batch, to - p), s, this, h, w, outH, outW);
        }

        /** Sizes the scratch for these planes; allocates only when the sizes or the thread count change. */
        void fit(int threads, int height, int width, int outHeight, int outWidth) {
            if (scratch.length == threads && height == h && width == w && outHeight == outH && outWidth == outW) return;
            PoolWindow g = window;
            scratch = new PlaneScratch[threads];
            for (int t = 0; t < threads; t++) scratch[t] = new PlaneScratch(g, height, width, outHeight, outWidth, S.length(), identity());
            columnTaps = new float[outWidth + S.length()];
            for (int ow = 0; ow < outWidth; ow++) {
                for (int j = 0; j < g.kW(); j++) {
                    int iw = ow * g.strideW() - g.padLeft() + j * g.dilationW();
                    if (iw >= 0 && iw < width) columnTaps[ow]++;
                }
            }
            firstRow = new int[outHeight];
            validRows = new int[outHeight];
            for (int oh = 0; oh < outHeight; oh++) {
                firstRow[oh] = -1;
                for (int i = 0; i < g.kH(); i++) {
                    int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                    if (ih < 0 || ih >= height) continue;
                    if (firstRow[oh] < 0) firstRow[oh] = ih;
                    validRows[oh]++;
                }
            }
            h = height;
            w = width;
            outH = outHeight;
            outW = outWidth;
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
            s.fit(threads, h, w, outH, outW);
            s.x = in;
            s.y = out;
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

    /** The outputs one vector of window starts gives: one per stride that fits, at least one (a stride past a vector). */
    private int startsPerVector() { return Math.max(1, S.length() / window.strideW()); }

    private float identity() { return max ? Float.NEGATIVE_INFINITY : 0f; }

    private FloatVector combine(FloatVector a, FloatVector b) { return max ? a.max(b) : a.add(b); }

    /**
     * A batch of planes, each in two passes so no vector is reloaded right after being stored over a shifted range
     * (a store-forwarding stall that cost more than the pooling itself). Pass one reduces each output row's
     * in-bounds input rows, in registers, into its row of {@code rows}, framed by the identity ({@code padLeft}
     * before it, the window's reach after), so horizontal padding needs no tests. Pass two reduces the {@code kW}
     * taps at each window start from that row and keeps every {@code strideW}-th start, compressing the lanes in
     * registers. Every access is a whole vector on an array with a vector of slack, so rows narrower than a vector
     * (a small CNN's 8-wide rows, 7×7 planes) are vector work too. The batch is copied in and out whole: JDK 25 runs
     * vector accesses to heap-backed segments (a caller's input tensor) as scalar code, and one copy per batch
     * rather than per plane keeps small planes cheap. Validity is separable: an average divides by the valid rows
     * times the valid columns of its window.
     */
    private void slide(MemorySegment in, MemorySegment out, int first, int planes, PlaneScratch s, State shape,
                       int h, int w, int outH, int outW) {
        int planeIn = h * w, planeOut = outH * outW;
        MemorySegment.copy(in, F, (long) first * planeIn * Float.BYTES, s.image, 0, planes * planeIn);
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) reduceRows(s.image, p * planeIn + shape.firstRow[oh] * w, w, shape.validRows[oh], s.rows, oh * s.rowStride);
            for (int oh = 0; oh < outH; oh++) reduceColumns(s.rows, oh * s.rowStride, shape.validRows[oh], outW, shape.columnTaps, s.output, p * planeOut + oh * outW);
        }
        MemorySegment.copy(s.output, 0, out, F, (long) first * planeOut * Float.BYTES, planes * planeOut);
    }

    /** Reduces {@code valid} input rows from {@code image[first:]}, {@code dilationH} rows apart, into {@code rows[at + padLeft:]}. */
    private void reduceRows(float[] image, int first, int w, int valid, float[] rows, int at) {
        int row = at + window.padLeft(), step = window.dilationH() * w;
        if (valid == 0) {
            Arrays.fill(rows, row, row + w, identity());
            return;
        }
        for (int j = 0; j < w; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, image, first + j);
            for (int i = 1; i < valid; i++) v = combine(v, FloatVector.fromArray(S, image, first + i * step + j));
            v.intoArray(rows, row + j);
        }
        FloatVector.broadcast(S, identity()).intoArray(rows, row + w);   // the lanes the last vector spilled past the row
    }

    /**
     * Writes output row {@code output[at:at+outW]} from the pooled row at {@code rows[from:]}: per vector of window
     * starts, the {@code kW} taps reduced, averages divided by their valid taps, and every {@code strideW}-th start
     * kept. Lanes past the row land in the next row's place, written after, or in the slack.
     */
    private void reduceColumns(float[] rows, int from, int validRows, int outW, float[] columnTaps, float[] output, int at) {
        PoolWindow g = window;
        int stride = g.strideW(), perVector = startsPerVector();
        float windowTaps = g.kH() * g.kW();
        for (int ow = 0; ow < outW; ow += perVector) {
            int x = from + ow * stride;
            FloatVector a = FloatVector.fromArray(S, rows, x);
            for (int j = 1; j < g.kW(); j++) a = combine(a, FloatVector.fromArray(S, rows, x + j * g.dilationW()));
            if (stride > 1) a = a.compress(strideLanes);
            if (!max) a = countPad ? a.div(windowTaps) : a.div(FloatVector.fromArray(S, columnTaps, ow).mul(validRows));
            a.intoArray(output, at + ow);
        }
    }

    @Override
    public String describe() { return node.describe() + ": " + (window == null ? "global " : "") + (max ? "max" : "average") + " pooling"; }
}
