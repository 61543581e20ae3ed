package dev.kiln.backend.cpu.depthwise;

import dev.kiln.backend.cpu.kernels.FloatLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Depthwise 3×3, stride 1, dilation 1, one column of padding on each side (any padding above and below), vectorized
 * along the channel's flattened plane: output {@code q = oh·w + ow} is a vector lane whatever the row width, so a
 * 7×7 or 14×14 plane fills whole vectors instead of one part-empty vector per row. Tap {@code (kh, kw)} of output
 * {@code q} is input {@code q + (kh - padTop)·w + kw - 1}, one unaligned load per tap from the input itself (no
 * copy): the lanes whose column is 0 (tap {@code kw = 0}) or {@code w - 1} ({@code kw = 2}) would read the
 * neighbouring row's end and are masked off, by per-lane column masks that repeat every {@link Columns#period}
 * vectors and are computed once per row width. Vectors whose taps stay inside the plane (all but about one row at
 * the top and the bottom) need only those two masks; the others also mask by the plane's bounds. The three kernel
 * rows sum into three accumulators, so the nine fused multiply-adds are not one dependency chain. Bias and the clamp
 * stay in registers and the result goes straight into the output. The species is a constructor parameter, a C2
 * constant through {@link FloatLanes}.
 */
final class FlatDepthwise3x3 {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Planes of at most this many floats are copied into a scratch plane between zero rows (28×28 and smaller). */
    static final int SMALL_PLANE = 1024;
    /** Spare floats after the scratch plane: a vector of the widest species (512 bits). */
    private static final int SLACK = 16;

    private final FloatLanes lanes;

    FlatDepthwise3x3(FloatLanes lanes) { this.lanes = lanes; }

    /** Whether {@code g} is this kernel's case (plane indices must be exact as float lanes: below 2^24). */
    static boolean handles(GroupedGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.padLeft() == 1 && g.padRight() == 1 && (long) (g.inH() + g.padTop() + 2) * g.inW() < 1 << 24;
    }

    /**
     * The column masks of a row width {@code w} at {@code lanes} lanes, for the vectors of a run that starts at a row's
     * first column: vector {@code k}'s lane {@code j} is column {@code (k·lanes + j) mod w}; bit {@code j} of
     * {@code left[k mod period]} says the column is not 0, of {@code right[…]} that it is not {@code w - 1}.
     */
    record Columns(int period, long[] left, long[] right) {
        static Columns of(int w, int lanes) {
            int period = w / gcd(w, lanes);
            long[] left = new long[period], right = new long[period];
            for (int k = 0; k < period; k++) {
                for (int j = 0; j < lanes; j++) {
                    int col = (k * lanes + j) % w;
                    if (col != 0) left[k] |= 1L << j;
                    if (col != w - 1) right[k] |= 1L << j;
                }
            }
            return new Columns(period, left, right);
        }

        private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
    }

    /** Whether a channel of {@code g} is first copied into a {@link #scratchFloats scratch} plane (small planes). */
    static boolean copies(GroupedGeometry g) { return (long) g.inH() * g.inW() <= SMALL_PLANE; }

    /**
     * Floats of the scratch a channel of {@code g} is copied into: the plane between zero rows (and a column), then
     * the output in whole vectors.
     */
    static long scratchFloats(GroupedGeometry g) {
        return inputFloats(g.inH(), g.inW(), g.padTop(), g.padBottom()) + (long) g.outH() * g.outW() + SLACK;
    }

    private static int inputFloats(int inH, int w, int padTop, int padBottom) { return (padTop + inH + padBottom + 1) * w + 2 * SLACK; }

    /**
     * Output rows {@code [oh0, oh0 + rows)} ({@code w} floats each) of one channel: input {@code inH × w} floats
     * from byte {@code in} of {@code x}, output row 0 at byte {@code out} of {@code y}, the 9 weights from byte
     * {@code weights} of {@code wt}, {@code columns} made for {@code w} and this species;
     * {@code y = min(max(bias + Σ w·x, lo), hi)}. A {@link #copies small plane} is copied into {@code scratch}
     * (zeroed, {@link #scratchFloats} floats, reused from channel to channel) and computed there whole, with
     * {@code oh0 = 0} and all rows; a large one reads the input directly. (The copies stay small methods inlined
     * here; a vector loop inlined into the step's big loop would miss C2's inlining budget and allocate.)
     */
    void run(MemorySegment x, long in, int inH, int w, int padTop, Columns columns, MemorySegment scratch, MemorySegment wt,
             long weights, float bias, float lo, float hi, MemorySegment y, long out, int oh0, int rows) {
        int n = lanes.species().length();
        int q0 = oh0 * w, end = (oh0 + rows) * w;
        if (scratch != null) {
            // The zero rows above and below the copy are the vertical padding: every vector is an inner one. They
            // are all whole, into the scratch's output area, whose first end floats are then copied out.
            long plane = 4L * (padTop * w + 1), result = 4L * inputFloats(inH, w, padTop, rows + 2 - inH - padTop);
            copy(x, in, scratch, plane, inH * w);
            inner(scratch, plane, w, padTop, columns, 0, wt, weights, bias, lo, hi, scratch, result, 0, (end + n - 1) / n * n);
            copy(scratch, result, y, out, end);
            return;
        }
        // Inner vectors: every lane's three input rows exist, and the loads' one column beyond them too.
        int innerFrom = Math.max(q0, padTop * w + 1), innerTo = Math.min(end, (inH - 2 + padTop) * w - 1);
        int q = q0;
        while (q < end && (q < innerFrom || q + n > innerTo)) {
            edge(x, in, inH, w, padTop, columns, (q - q0) / n, wt, weights, bias, lo, hi, y, out, q, end);
            q += n;
        }
        if (q + n <= innerTo) q = inner(x, in, w, padTop, columns, (q - q0) / n, wt, weights, bias, lo, hi, y, out, q, innerTo);
        for (; q < end; q += n) edge(x, in, inH, w, padTop, columns, (q - q0) / n, wt, weights, bias, lo, hi, y, out, q, end);
    }

    /** {@code count} floats from byte {@code from} of {@code x} to byte {@code to} of {@code scratch}: vectors, then floats. */
    private void copy(MemorySegment x, long from, MemorySegment scratch, long to, int count) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length(), i = 0;
        for (; i + n <= count; i += n) FloatVector.fromMemorySegment(s, x, from + 4L * i, LE).intoMemorySegment(scratch, to + 4L * i, LE);
        for (; i < count; i++) scratch.set(F, to + 4L * i, x.get(F, from + 4L * i));
    }

    /** Whole vectors from {@code q} (vector {@code k} of the run) while they end by {@code to}; returns where it stopped. */
    private int inner(MemorySegment x, long in, int w, int padTop, Columns columns, int k, MemorySegment wt, long weights,
                      float bias, float lo, float hi, MemorySegment y, long out, int q, int to) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length(), period = columns.period();
        long[] left = columns.left(), right = columns.right();
        k %= period;
        FloatVector w0 = weight(s, wt, weights, 0), w1 = weight(s, wt, weights, 1), w2 = weight(s, wt, weights, 2);
        FloatVector w3 = weight(s, wt, weights, 3), w4 = weight(s, wt, weights, 4), w5 = weight(s, wt, weights, 5);
        FloatVector w6 = weight(s, wt, weights, 6), w7 = weight(s, wt, weights, 7), w8 = weight(s, wt, weights, 8);
        FloatVector b = FloatVector.broadcast(s, bias), z = FloatVector.zero(s);
        long row = 4L * w, top = in - 4L * padTop * w;
        for (; q + n <= to; q += n) {
            VectorMask<Float> l = VectorMask.fromLong(s, left[k]), r = VectorMask.fromLong(s, right[k]);
            if (++k == period) k = 0;
            long a = top + 4L * q, c = a + row, e = c + row;
            FloatVector acc0 = z.blend(FloatVector.fromMemorySegment(s, x, a - 4, LE), l).fma(w0, b);
            FloatVector acc1 = z.blend(FloatVector.fromMemorySegment(s, x, c - 4, LE), l).mul(w3);
            FloatVector acc2 = z.blend(FloatVector.fromMemorySegment(s, x, e - 4, LE), l).mul(w6);
            acc0 = FloatVector.fromMemorySegment(s, x, a, LE).fma(w1, acc0);
            acc1 = FloatVector.fromMemorySegment(s, x, c, LE).fma(w4, acc1);
            acc2 = FloatVector.fromMemorySegment(s, x, e, LE).fma(w7, acc2);
            acc0 = z.blend(FloatVector.fromMemorySegment(s, x, a + 4, LE), r).fma(w2, acc0);
            acc1 = z.blend(FloatVector.fromMemorySegment(s, x, c + 4, LE), r).fma(w5, acc1);
            acc2 = z.blend(FloatVector.fromMemorySegment(s, x, e + 4, LE), r).fma(w8, acc2);
            acc0.add(acc1).add(acc2).max(lo).min(hi).intoMemorySegment(y, out + 4L * q, LE);
        }
        return q;
    }

    /**
     * The vector at {@code q} (vector {@code k} of the run), each load also masked to the plane (the rows above and
     * below it are padding) and the store to the run's {@code end}.
     */
    private void edge(MemorySegment x, long in, int inH, int w, int padTop, Columns columns, int k, MemorySegment wt, long weights,
                      float bias, float lo, float hi, MemorySegment y, long out, int q, int end) {
        VectorSpecies<Float> s = lanes.species();
        VectorMask<Float> l = VectorMask.fromLong(s, columns.left()[k % columns.period()]);
        VectorMask<Float> r = VectorMask.fromLong(s, columns.right()[k % columns.period()]);
        FloatVector lane = FloatVector.zero(s).addIndex(1);
        int plane = inH * w, first = q - padTop * w;
        // Lanes whose kernel row kh lies in the plane: 0 ≤ first + kh·w + lane < plane. Masks by comparing lane
        // numbers (species.indexInRange with values unknown to C2 allocates every mask), written out here: a helper
        // taking a vector that C2 does not inline boxes it.
        VectorMask<Float> m0 = lane.compare(VectorOperators.LT, (float) (plane - first)).andNot(lane.compare(VectorOperators.LT, (float) -first));
        VectorMask<Float> m1 = lane.compare(VectorOperators.LT, (float) (plane - first - w)).andNot(lane.compare(VectorOperators.LT, (float) (-first - w)));
        VectorMask<Float> m2 = lane.compare(VectorOperators.LT, (float) (plane - first - 2 * w)).andNot(lane.compare(VectorOperators.LT, (float) (-first - 2 * w)));
        FloatVector w0 = weight(s, wt, weights, 0), w1 = weight(s, wt, weights, 1), w2 = weight(s, wt, weights, 2);
        FloatVector w3 = weight(s, wt, weights, 3), w4 = weight(s, wt, weights, 4), w5 = weight(s, wt, weights, 5);
        FloatVector w6 = weight(s, wt, weights, 6), w7 = weight(s, wt, weights, 7), w8 = weight(s, wt, weights, 8);
        long a = in + 4L * first, c = a + 4L * w, e = c + 4L * w;
        FloatVector acc0 = FloatVector.fromMemorySegment(s, x, a - 4, LE, m0.and(l)).fma(w0, FloatVector.broadcast(s, bias));
        acc0 = FloatVector.fromMemorySegment(s, x, a, LE, m0).fma(w1, acc0);
        acc0 = FloatVector.fromMemorySegment(s, x, a + 4, LE, m0.and(r)).fma(w2, acc0);
        FloatVector acc1 = FloatVector.fromMemorySegment(s, x, c - 4, LE, m1.and(l)).mul(w3);
        acc1 = FloatVector.fromMemorySegment(s, x, c, LE, m1).fma(w4, acc1);
        acc1 = FloatVector.fromMemorySegment(s, x, c + 4, LE, m1.and(r)).fma(w5, acc1);
        FloatVector acc2 = FloatVector.fromMemorySegment(s, x, e - 4, LE, m2.and(l)).mul(w6);
        acc2 = FloatVector.fromMemorySegment(s, x, e, LE, m2).fma(w7, acc2);
        acc2 = FloatVector.fromMemorySegment(s, x, e + 4, LE, m2.and(r)).fma(w8, acc2);
        VectorMask<Float> store = lane.compare(VectorOperators.LT, (float) (end - q));
        acc0.add(acc1).add(acc2).max(lo).min(hi).intoMemorySegment(y, out + 4L * q, LE, store);
    }

    private static FloatVector weight(VectorSpecies<Float> s, MemorySegment wt, long weights, int t) {
        return FloatVector.broadcast(s, wt.get(F, weights + 4L * t));
    }
}
