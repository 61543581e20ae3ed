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
 * The common depthwise case without {@link PhasePlanes}: 3×3, stride 1, dilation 1, one column of padding on each
 * side (so an output row is as wide as an input row), any padding above and below. Each output row is read straight
 * from its three input rows (unaligned loads at column offsets -1, 0 and +1) and written straight into the output,
 * bias and clamp in registers: no copy in and none out. A vector that touches a row's end loads and stores under a
 * mask (zeros for the padding columns); a missing row (vertical padding) gets zero weights. The species is a
 * constructor parameter, a C2 constant through {@link FloatLanes}.
 */
final class RowDepthwise3x3 {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;

    RowDepthwise3x3(FloatLanes lanes) { this.lanes = lanes; }

    /** Whether {@code g} is this kernel's case. */
    static boolean handles(GroupedGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.padLeft() == 1 && g.padRight() == 1;
    }

    /**
     * Output rows {@code [oh0, oh0 + rows)} of one channel: input {@code inH × w} floats from byte {@code in} of
     * {@code x}, output rows {@code w} floats from byte {@code out} of {@code y} (row 0), weights the 9 floats from
     * byte {@code weights} of {@code wt}; {@code y = min(max(bias + Σ w·x, lo), hi)}.
     */
    void run(MemorySegment x, long in, int inH, int w, int padTop, MemorySegment wt, long weights, float bias, float lo, float hi,
             MemorySegment y, long out, int oh0, int rows) {
        long rowBytes = (long) w * Float.BYTES;
        for (int oh = oh0; oh < oh0 + rows; oh++) {
            int top = oh - padTop;
            // A missing row (vertical padding) reads a present one with zero weights, keeping the loops free of branches.
            int any = Math.clamp(top + 1, 0, inH - 1);
            int present = (top >= 0 && top < inH ? 1 : 0) | (top + 1 >= 0 && top + 1 < inH ? 2 : 0) | (top + 2 >= 0 && top + 2 < inH ? 4 : 0);
            long r0 = in + ((present & 1) != 0 ? top : any) * rowBytes, r1 = in + ((present & 2) != 0 ? top + 1 : any) * rowBytes;
            long r2 = in + ((present & 4) != 0 ? top + 2 : any) * rowBytes, dst = out + oh * rowBytes;
            int done = w > lanes.species().length() ? wholeVectors(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, w) : 0;
            if (done < w) maskedVectors(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, w, done);
        }
    }

    /**
     * One output row from column 0 while a whole vector and its right neighbour fit in the row; returns the columns
     * done. Each loop is its own method: C2 vectorizes a compilation only while it inlines every Vector API call in
     * it, and one method with all three loops outgrew that.
     */
    private int wholeVectors(MemorySegment x, long r0, long r1, long r2, MemorySegment wt, long weights, int present, float bias,
                             float lo, float hi, MemorySegment y, long dst, int w) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length();
        FloatVector a0 = tap(s, wt, weights, 0, present & 1), a1 = tap(s, wt, weights, 1, present & 1), a2 = tap(s, wt, weights, 2, present & 1);
        FloatVector c0 = tap(s, wt, weights, 3, present & 2), c1 = tap(s, wt, weights, 4, present & 2), c2 = tap(s, wt, weights, 5, present & 2);
        FloatVector e0 = tap(s, wt, weights, 6, present & 4), e1 = tap(s, wt, weights, 7, present & 4), e2 = tap(s, wt, weights, 8, present & 4);
        FloatVector b = FloatVector.broadcast(s, bias);
        // Column -1 is padding: the first vector's left loads are masked.
        VectorMask<Float> left = s.indexInRange(-1, n);
        FloatVector acc = FloatVector.fromMemorySegment(s, x, r0 - 4, LE, left).fma(a0, b);
        acc = FloatVector.fromMemorySegment(s, x, r0, LE).fma(a1, acc);
        acc = FloatVector.fromMemorySegment(s, x, r0 + 4, LE).fma(a2, acc);
        acc = FloatVector.fromMemorySegment(s, x, r1 - 4, LE, left).fma(c0, acc);
        acc = FloatVector.fromMemorySegment(s, x, r1, LE).fma(c1, acc);
        acc = FloatVector.fromMemorySegment(s, x, r1 + 4, LE).fma(c2, acc);
        acc = FloatVector.fromMemorySegment(s, x, r2 - 4, LE, left).fma(e0, acc);
        acc = FloatVector.fromMemorySegment(s, x, r2, LE).fma(e1, acc);
        acc = FloatVector.fromMemorySegment(s, x, r2 + 4, LE).fma(e2, acc);
        acc.max(lo).min(hi).intoMemorySegment(y, dst, LE);
        int ow = n;
        for (; ow + n < w; ow += n) {
            long at = 4L * ow;
            acc = FloatVector.fromMemorySegment(s, x, r0 + at - 4, LE).fma(a0, b);
            acc = FloatVector.fromMemorySegment(s, x, r0 + at, LE).fma(a1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r0 + at + 4, LE).fma(a2, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at - 4, LE).fma(c0, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at, LE).fma(c1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at + 4, LE).fma(c2, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at - 4, LE).fma(e0, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at, LE).fma(e1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at + 4, LE).fma(e2, acc);
            acc.max(lo).min(hi).intoMemorySegment(y, dst + at, LE);
        }
        return ow;
    }

    /** The rest of an output row from column {@code ow} (all of a row no wider than a vector), every load masked to the row. */
    private void maskedVectors(MemorySegment x, long r0, long r1, long r2, MemorySegment wt, long weights, int present, float bias,
                               float lo, float hi, MemorySegment y, long dst, int w, int ow) {
        VectorSpecies<Float> s = lanes.species();
        FloatVector a0 = tap(s, wt, weights, 0, present & 1), a1 = tap(s, wt, weights, 1, present & 1), a2 = tap(s, wt, weights, 2, present & 1);
        FloatVector c0 = tap(s, wt, weights, 3, present & 2), c1 = tap(s, wt, weights, 4, present & 2), c2 = tap(s, wt, weights, 5, present & 2);
        FloatVector e0 = tap(s, wt, weights, 6, present & 4), e1 = tap(s, wt, weights, 7, present & 4), e2 = tap(s, wt, weights, 8, present & 4);
        FloatVector b = FloatVector.broadcast(s, bias), lane = FloatVector.zero(s).addIndex(1);
        for (; ow < w; ow += s.length()) {
            // Masks by comparing lane numbers: species.indexInRange with values unknown to C2 allocates every mask.
            VectorMask<Float> mid = lane.compare(VectorOperators.LT, (float) (w - ow));
            VectorMask<Float> right = lane.compare(VectorOperators.LT, (float) (w - ow - 1));
            VectorMask<Float> left = lane.compare(VectorOperators.LT, (float) (w - ow + 1)).andNot(lane.compare(VectorOperators.LT, (float) (1 - ow)));
            long at = 4L * ow;
            FloatVector acc = FloatVector.fromMemorySegment(s, x, r0 + at - 4, LE, left).fma(a0, b);
            acc = FloatVector.fromMemorySegment(s, x, r0 + at, LE, mid).fma(a1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r0 + at + 4, LE, right).fma(a2, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at - 4, LE, left).fma(c0, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at, LE, mid).fma(c1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r1 + at + 4, LE, right).fma(c2, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at - 4, LE, left).fma(e0, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at, LE, mid).fma(e1, acc);
            acc = FloatVector.fromMemorySegment(s, x, r2 + at + 4, LE, right).fma(e2, acc);
            acc.max(lo).min(hi).intoMemorySegment(y, dst + at, LE, mid);
        }
    }

    /** Tap {@code t}'s weight in every lane, or zeros when its row is missing ({@code present} is 0). */
    private static FloatVector tap(VectorSpecies<Float> s, MemorySegment wt, long weights, int t, int present) {
        return FloatVector.broadcast(s, present != 0 ? wt.get(F, weights + 4L * t) : 0f);
    }
}
