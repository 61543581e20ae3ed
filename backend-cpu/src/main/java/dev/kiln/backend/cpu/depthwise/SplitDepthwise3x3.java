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
 * Depthwise 3×3, stride 2, dilation 1, one column of padding on the left, for an even input width {@code w} whose
 * output is {@code w / 2} wide (MobileNet's 28→14 and 14→7): the channel is first split into its even and odd
 * columns, {@code E[ih][j] = x[ih][2j]} and {@code O[ih][j] = x[ih][2j + 1]}, both {@code w / 2} wide — one pass over
 * the plane as a flat run (the split of a whole plane is the split of each row, the width being even), two
 * two-vector lane selects per vector of each. Output {@code (oh, ow)} then reads rows {@code 2·oh - padTop + kh} at
 * {@code O[ow - 1]}, {@code E[ow]} and {@code O[ow]}: nine unaligned loads and no lane shuffles per output vector,
 * where {@link StridedRowDepthwise3x3} needs masked loads and nine shuffles for rows narrower than a vector. The
 * scratch holds zero rows above and below the split planes (vertical padding) and a zero before {@code O} (column
 * -1); the rows are written whole, the zeros never. Bias and clamp stay in registers; a channel is one unit of work.
 */
final class SplitDepthwise3x3 {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Spare floats after each split plane: a vector of the widest species (512 bits), for the last row's loads. */
    private static final int SLACK = 16;

    private final FloatLanes lanes;

    SplitDepthwise3x3(FloatLanes lanes) { this.lanes = lanes; }

    /** Whether {@code g} is this kernel's case. */
    static boolean handles(GroupedGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.strideH() == 2 && g.strideW() == 2 && g.dilationH() == 1 && g.dilationW() == 1
                && g.padLeft() == 1 && g.inW() % 2 == 0 && g.outW() == g.inW() / 2;
    }

    /** Rows of each split plane: the padding rows above, the input's, and those the last output row reads below it. */
    private static int planeRows(GroupedGeometry g) { return Math.max(g.padTop() + g.inH(), 2 * g.outH() + 1); }

    /** Floats of one split plane with its leading zero and trailing slack. */
    private static long planeFloats(GroupedGeometry g) { return 1 + (long) planeRows(g) * g.outW() + SLACK; }

    /** Floats of the scratch {@link #run} needs (zeroed once; reused from channel to channel). */
    static long scratchFloats(GroupedGeometry g) { return 2 * planeFloats(g); }

    /**
     * All output rows of one channel of {@code g}: input from byte {@code in} of {@code x}, output from byte
     * {@code out} of {@code y}, the 9 weights from byte {@code weights} of {@code wt};
     * {@code y = min(max(bias + Σ w·x, lo), hi)}.
     */
    void run(GroupedGeometry g, MemorySegment x, long in, MemorySegment scratch, MemorySegment wt, long weights, float bias, float lo,
             float hi, MemorySegment y, long out) {
        int outW = g.outW();
        // Row 0 of each plane (the first padding row, or input row 0) starts one float in: the zero before O.
        long even = 4L, odd = 4L * (planeFloats(g) + 1), data = 4L * g.padTop() * outW;
        compute(x, in, g.inH() * outW, data, scratch, even, odd, outW, g.outH(), wt, weights, bias, lo, hi, y, out);
    }

    /**
     * Splits the {@code pairs} column pairs from byte {@code in} of {@code x} into the planes {@code p} (row 0 at
     * bytes {@code even} and {@code odd}, the input's first row {@code data} bytes further), then computes the output
     * rows from them. A vector may run past its row: the next rows' vectors overwrite those lanes; a vector that would
     * run past the channel is stored under a mask. One method: both loops must compile in a compilation of their own
     * (inlined into the step's big loop, they would miss C2's inlining budget and allocate).
     */
    private void compute(MemorySegment x, long in, int pairs, long data, MemorySegment p, long even, long odd, int outW, int outH,
                         MemorySegment wt, long weights, float bias, float lo, float hi, MemorySegment y, long out) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length();
        // E[k] = x[2k], O[k] = x[2k + 1]: whole vectors, the last one moved back; fewer pairs than lanes one by one.
        FloatVector evens = FloatVector.zero(s).addIndex(2), odds = evens.add(1f);
        if (pairs < n) {
            for (int k = 0; k < pairs; k++) {
                p.set(F, even + data + 4L * k, x.get(F, in + 8L * k));
                p.set(F, odd + data + 4L * k, x.get(F, in + 8L * k + 4));
            }
        } else {
            for (int k = 0; ; k = Math.min(k + n, pairs - n)) {
                FloatVector a = FloatVector.fromMemorySegment(s, x, in + 8L * k, LE), b = FloatVector.fromMemorySegment(s, x, in + 8L * k + 4L * n, LE);
                evens.selectFrom(a, b).intoMemorySegment(p, even + data + 4L * k, LE);
                odds.selectFrom(a, b).intoMemorySegment(p, odd + data + 4L * k, LE);
                if (k == pairs - n) break;
            }
        }
        FloatVector w0 = weight(s, wt, weights, 0), w1 = weight(s, wt, weights, 1), w2 = weight(s, wt, weights, 2);
        FloatVector w3 = weight(s, wt, weights, 3), w4 = weight(s, wt, weights, 4), w5 = weight(s, wt, weights, 5);
        FloatVector w6 = weight(s, wt, weights, 6), w7 = weight(s, wt, weights, 7), w8 = weight(s, wt, weights, 8);
        FloatVector b = FloatVector.broadcast(s, bias), z = FloatVector.zero(s), lane = z.addIndex(1);
        long row = 4L * outW;
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow += n) {
                // Tap kw = 0 reads O[ow - 1]: column -1 (padding) in lane 0 of the first vector.
                VectorMask<Float> left = lane.compare(VectorOperators.GE, (float) (1 - ow));
                long e0 = even + 2 * oh * row + 4L * ow, o0 = odd + 2 * oh * row + 4L * ow;
                FloatVector acc0 = z.blend(FloatVector.fromMemorySegment(s, p, o0 - 4, LE), left).fma(w0, b);
                FloatVector acc1 = z.blend(FloatVector.fromMemorySegment(s, p, o0 + row - 4, LE), left).mul(w3);
                FloatVector acc2 = z.blend(FloatVector.fromMemorySegment(s, p, o0 + 2 * row - 4, LE), left).mul(w6);
                acc0 = FloatVector.fromMemorySegment(s, p, e0, LE).fma(w1, acc0);
                acc1 = FloatVector.fromMemorySegment(s, p, e0 + row, LE).fma(w4, acc1);
                acc2 = FloatVector.fromMemorySegment(s, p, e0 + 2 * row, LE).fma(w7, acc2);
                acc0 = FloatVector.fromMemorySegment(s, p, o0, LE).fma(w2, acc0);
                acc1 = FloatVector.fromMemorySegment(s, p, o0 + row, LE).fma(w5, acc1);
                acc2 = FloatVector.fromMemorySegment(s, p, o0 + 2 * row, LE).fma(w8, acc2);
                FloatVector v = acc0.add(acc1).add(acc2).max(lo).min(hi);
                int q = oh * outW + ow;
                if (q + n <= outH * outW) v.intoMemorySegment(y, out + 4L * q, LE);
                else v.intoMemorySegment(y, out + 4L * q, LE, lane.compare(VectorOperators.LT, (float) (outW - ow)));
            }
        }
    }

    private static FloatVector weight(VectorSpecies<Float> s, MemorySegment wt, long weights, int t) {
        return FloatVector.broadcast(s, wt.get(F, weights + 4L * t));
    }
}
