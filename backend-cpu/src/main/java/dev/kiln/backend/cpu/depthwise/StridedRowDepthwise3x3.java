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
 * MobileNet's downsampling depthwise case without {@link PhasePlanes}: 3×3, stride 2, dilation 1, one column of
 * padding on the left. A vector of outputs from column {@code ow} reads input columns {@code 2·ow - 1 + kw + 2i}:
 * two vectors loaded from column {@code 2·ow - 1} hold the taps {@code kw = 0} (their even lanes) and {@code kw = 1}
 * (odd lanes), two from {@code 2·ow + 1} the taps {@code kw = 2}; a two-vector lane select (one permute on AVX-512)
 * picks each. A row of an even-width input at least two vectors wide (MobileNet's 112, 56 and 28) runs whole vectors
 * only: column -1 is zeroed by a blend and the last vector moves back to end at the row's end. Other rows, and rows
 * whose loads would leave the segment, load the vectors at their ends under masks (zeros for the padding) — a
 * masked load costs several unmasked ones plus a blend on Zen 4, so only those pay for it. A missing row (vertical
 * padding) gets zero weights. Bias and clamp stay in registers and the result goes straight into the output row.
 */
final class StridedRowDepthwise3x3 {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;

    StridedRowDepthwise3x3(FloatLanes lanes) { this.lanes = lanes; }

    /** Whether {@code g} is this kernel's case. */
    static boolean handles(GroupedGeometry g) {
        return g.kH() == 3 && g.kW() == 3 && g.strideH() == 2 && g.strideW() == 2 && g.dilationH() == 1 && g.dilationW() == 1
                && g.padLeft() == 1;
    }

    /**
     * Output rows {@code [oh0, oh0 + rows)}, each {@code outW} floats, of one channel: input {@code inH × w} floats
     * from byte {@code in} of {@code x}, output row 0 at byte {@code out} of {@code y}, the 9 weights from byte
     * {@code weights} of {@code wt}; {@code y = min(max(bias + Σ w·x, lo), hi)}.
     */
    void run(MemorySegment x, long in, int inH, int w, int padTop, int outW, MemorySegment wt, long weights, float bias, float lo,
             float hi, MemorySegment y, long out, int oh0, int rows) {
        long rowBytes = (long) w * Float.BYTES;
        int n = lanes.species().length();
        // From the second vector on, no mask is needed while the vector fits the output row and its last load (up
        // to column 2·ow + 2n) the input row.
        int whole = n;
        while (whole + n <= outW && 2 * whole + 2 * n <= w - 1) whole += n;
        boolean fast = w % 2 == 0 && outW == w / 2 && outW >= n;
        for (int oh = oh0; oh < oh0 + rows; oh++) {
            int top = 2 * oh - padTop;
            int any = Math.clamp(top + 1, 0, inH - 1);
            int present = (top >= 0 && top < inH ? 1 : 0) | (top + 1 >= 0 && top + 1 < inH ? 2 : 0) | (top + 2 >= 0 && top + 2 < inH ? 4 : 0);
            long r0 = in + ((present & 1) != 0 ? top : any) * rowBytes, r1 = in + ((present & 2) != 0 ? top + 1 : any) * rowBytes;
            long r2 = in + ((present & 4) != 0 ? top + 2 : any) * rowBytes, dst = out + (long) oh * outW * Float.BYTES;
            // Rows that fill a vector, of even width (their last vector ends at the row's end), whose loads stay in x.
            if (fast) {
                if (Math.min(r0, Math.min(r1, r2)) >= 4 && Math.max(r0, Math.max(r1, r2)) + 4L * (w + 1) <= x.byteSize()) {
                    wholeRow(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, 0, outW - n);
                } else {
                    // At most a row or two a step (at the segment's ends): scalar, as vector code this rare would
                    // stay in C1, whose vectors are objects.
                    scalarRow(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, w, outW);
                }
                continue;
            }
            maskedVectors(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, w, outW, 0, Math.min(n, outW));
            if (whole > n) wholeRow(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, n, whole - n);
            if (Math.max(n, whole) < outW) maskedVectors(x, r0, r1, r2, wt, weights, present, bias, lo, hi, y, dst, w, outW, Math.max(n, whole), outW);
        }
    }

    /**
     * Whole vectors at output columns {@code from, from + n, …, last}, every load inside {@code x} and the input row
     * or one column past its end (in lanes no tap selects); column -1 (left padding) is zeroed by a blend. A whole
     * row of an even-width input ({@code outW = w / 2 ≥ n}) runs from 0 to {@code last = outW - n}: the last vector
     * moves back to end at the row's end and recomputes a few outputs.
     */
    private void wholeRow(MemorySegment x, long r0, long r1, long r2, MemorySegment wt, long weights, int present, float bias,
                          float lo, float hi, MemorySegment y, long dst, int from, int last) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length();
        FloatVector lane = FloatVector.zero(s).addIndex(1), evens = lane.add(lane), odds = evens.add(1f), z = FloatVector.zero(s);
        FloatVector a0 = tap(s, wt, weights, 0, present & 1), a1 = tap(s, wt, weights, 1, present & 1), a2 = tap(s, wt, weights, 2, present & 1);
        FloatVector c0 = tap(s, wt, weights, 3, present & 2), c1 = tap(s, wt, weights, 4, present & 2), c2 = tap(s, wt, weights, 5, present & 2);
        FloatVector e0 = tap(s, wt, weights, 6, present & 4), e1 = tap(s, wt, weights, 7, present & 4), e2 = tap(s, wt, weights, 8, present & 4);
        FloatVector b = FloatVector.broadcast(s, bias);
        long half = 4L * n;
        for (int ow = from; ; ow = Math.min(ow + n, last)) {
            long at = 4L * (2 * ow - 1);
            // Lanes of p at column 2·ow - 1 + lane ≥ 0: all but lane 0 of the first vector.
            VectorMask<Float> left = lane.compare(VectorOperators.GE, (float) (1 - 2 * ow));
            FloatVector acc = b;
            FloatVector p = z.blend(FloatVector.fromMemorySegment(s, x, r0 + at, LE), left), q = FloatVector.fromMemorySegment(s, x, r0 + at + half, LE);
            FloatVector u = FloatVector.fromMemorySegment(s, x, r0 + at + 8, LE), v = FloatVector.fromMemorySegment(s, x, r0 + at + 8 + half, LE);
            acc = evens.selectFrom(p, q).fma(a0, acc);
            acc = odds.selectFrom(p, q).fma(a1, acc);
            acc = evens.selectFrom(u, v).fma(a2, acc);
            p = z.blend(FloatVector.fromMemorySegment(s, x, r1 + at, LE), left);
            q = FloatVector.fromMemorySegment(s, x, r1 + at + half, LE);
            u = FloatVector.fromMemorySegment(s, x, r1 + at + 8, LE);
            v = FloatVector.fromMemorySegment(s, x, r1 + at + 8 + half, LE);
            acc = evens.selectFrom(p, q).fma(c0, acc);
            acc = odds.selectFrom(p, q).fma(c1, acc);
            acc = evens.selectFrom(u, v).fma(c2, acc);
            p = z.blend(FloatVector.fromMemorySegment(s, x, r2 + at, LE), left);
            q = FloatVector.fromMemorySegment(s, x, r2 + at + half, LE);
            u = FloatVector.fromMemorySegment(s, x, r2 + at + 8, LE);
            v = FloatVector.fromMemorySegment(s, x, r2 + at + 8 + half, LE);
            acc = evens.selectFrom(p, q).fma(e0, acc);
            acc = odds.selectFrom(p, q).fma(e1, acc);
            acc = evens.selectFrom(u, v).fma(e2, acc);
            acc.max(lo).min(hi).intoMemorySegment(y, dst + 4L * ow, LE);
            if (ow == last) break;
        }
    }

    /** Output columns {@code [from, to)}: every load masked to the input row {@code [0, w)}, the store to {@code [0, outW)}. */
    private void maskedVectors(MemorySegment x, long r0, long r1, long r2, MemorySegment wt, long weights, int present, float bias,
                               float lo, float hi, MemorySegment y, long dst, int w, int outW, int from, int to) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length();
        FloatVector lane = FloatVector.zero(s).addIndex(1), evens = lane.add(lane), odds = evens.add(1f);
        FloatVector a0 = tap(s, wt, weights, 0, present & 1), a1 = tap(s, wt, weights, 1, present & 1), a2 = tap(s, wt, weights, 2, present & 1);
        FloatVector c0 = tap(s, wt, weights, 3, present & 2), c1 = tap(s, wt, weights, 4, present & 2), c2 = tap(s, wt, weights, 5, present & 2);
        FloatVector e0 = tap(s, wt, weights, 6, present & 4), e1 = tap(s, wt, weights, 7, present & 4), e2 = tap(s, wt, weights, 8, present & 4);
        FloatVector b = FloatVector.broadcast(s, bias);
        long half = 4L * n;
        for (int ow = from; ow < to; ow += n) {
            int c = 2 * ow - 1;
            // Lanes whose column (c + offset + lane) lies in [0, w); lane compares, as species.indexInRange allocates here.
            VectorMask<Float> mp = inRow(lane, c, w), mq = inRow(lane, c + n, w), mu = inRow(lane, c + 2, w), mv = inRow(lane, c + 2 + n, w);
            long at = 4L * c;
            FloatVector acc = b;
            FloatVector p = FloatVector.fromMemorySegment(s, x, r0 + at, LE, mp), q = FloatVector.fromMemorySegment(s, x, r0 + at + half, LE, mq);
            FloatVector u = FloatVector.fromMemorySegment(s, x, r0 + at + 8, LE, mu), v = FloatVector.fromMemorySegment(s, x, r0 + at + 8 + half, LE, mv);
            acc = evens.selectFrom(p, q).fma(a0, acc);
            acc = odds.selectFrom(p, q).fma(a1, acc);
            acc = evens.selectFrom(u, v).fma(a2, acc);
            p = FloatVector.fromMemorySegment(s, x, r1 + at, LE, mp);
            q = FloatVector.fromMemorySegment(s, x, r1 + at + half, LE, mq);
            u = FloatVector.fromMemorySegment(s, x, r1 + at + 8, LE, mu);
            v = FloatVector.fromMemorySegment(s, x, r1 + at + 8 + half, LE, mv);
            acc = evens.selectFrom(p, q).fma(c0, acc);
            acc = odds.selectFrom(p, q).fma(c1, acc);
            acc = evens.selectFrom(u, v).fma(c2, acc);
            p = FloatVector.fromMemorySegment(s, x, r2 + at, LE, mp);
            q = FloatVector.fromMemorySegment(s, x, r2 + at + half, LE, mq);
            u = FloatVector.fromMemorySegment(s, x, r2 + at + 8, LE, mu);
            v = FloatVector.fromMemorySegment(s, x, r2 + at + 8 + half, LE, mv);
            acc = evens.selectFrom(p, q).fma(e0, acc);
            acc = odds.selectFrom(p, q).fma(e1, acc);
            acc = evens.selectFrom(u, v).fma(e2, acc);
            acc.max(lo).min(hi).intoMemorySegment(y, dst + 4L * ow, LE, lane.compare(VectorOperators.LT, (float) (outW - ow)));
        }
    }

    /** One output row in scalar code, straight from the definition (zeros outside the row). */
    private static void scalarRow(MemorySegment x, long r0, long r1, long r2, MemorySegment wt, long weights, int present, float bias, float lo, float hi,
                                  MemorySegment y, long dst, int w, int outW) {
        for (int ow = 0; ow < outW; ow++) {
            float sum = bias;
            for (int kh = 0; kh < 3; kh++) {
                if ((present & 1 << kh) == 0) continue;
                for (int kw = 0; kw < 3; kw++) {
                    int col = 2 * ow - 1 + kw;
                    if (col >= 0 && col < w) sum += wt.get(F, weights + 4L * (3 * kh + kw)) * x.get(F, (kh == 0 ? r0 : kh == 1 ? r1 : r2) + 4L * col);
                }
            }
            y.set(F, dst + 4L * ow, Math.min(Math.max(sum, lo), hi));
        }
    }

    private static VectorMask<Float> inRow(FloatVector lane, int column, int w) {
        return lane.compare(VectorOperators.LT, (float) (w - column)).andNot(lane.compare(VectorOperators.LT, (float) -column));
    }

    /** Tap {@code t}'s weight in every lane, or zeros when its row is missing ({@code present} is 0). */
    private static FloatVector tap(VectorSpecies<Float> s, MemorySegment wt, long weights, int t, int present) {
        return FloatVector.broadcast(s, present != 0 ? wt.get(F, weights + 4L * t) : 0f);
    }
}
