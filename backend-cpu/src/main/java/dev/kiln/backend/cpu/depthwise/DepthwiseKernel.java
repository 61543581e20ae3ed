package dev.kiln.backend.cpu.depthwise;

import dev.kiln.backend.cpu.kernels.FloatLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The vector kernel of a depthwise convolution over one band of {@link PhasePlanes}: {@code flat[q] = min(max(bias +
 * Σ_t w[t]·planes[tapOffset[t] + q], lo), hi)}, vectorized along the flat output index {@code q}, so a stride, dilation or
 * padding costs nothing in the loop and small images (7×7) still fill the vectors. A 3×3 kernel keeps its nine
 * weights in registers; other sizes run the taps inside a block of four vectors. The species is a constructor
 * parameter so tests can run the smallest and the largest one. The clamp is the only activation here: C2 stops
 * inlining ordinary calls once a compilation is as big as this loop, and a call taking a vector boxes it (an
 * allocation per vector); Relu, Relu6 and Clip are clamps, and the step applies any other activation afterwards.
 */
final class DepthwiseKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int BLOCK = 4;

    /** The species, a constant to C2 (see {@link FloatLanes}). */
    private final FloatLanes lanes;

    DepthwiseKernel(VectorSpecies<Float> species) {
        if (species.length() > PhasePlanes.SLACK) throw new IllegalArgumentException("species wider than the planes' slack: " + species);
        this.lanes = FloatLanes.of(species);
    }

    /**
     * Computes {@code flat[q]} for {@code q < count}, in whole vectors (so up to one vector past {@code count}, which
     * {@link PhasePlanes#flatFloats()} leaves room for). Weights are the {@code taps} floats from byte {@code weights}
     * of {@code w}.
     */
    void run(MemorySegment planes, int[] tapOffsets, MemorySegment w, long weights, float bias, float lo, float hi,
             MemorySegment flat, int count) {
        if (tapOffsets.length == 9) run3x3(planes, tapOffsets, w, weights, bias, lo, hi, flat, count);
        else runTaps(planes, tapOffsets, w, weights, bias, lo, hi, flat, count);
    }

    private void run3x3(MemorySegment p, int[] o, MemorySegment w, long weights, float bias, float lo, float hi,
                        MemorySegment flat, int count) {
        VectorSpecies<Float> s = lanes.species();
        FloatVector w0 = FloatVector.broadcast(s, w.get(F, weights)), w1 = FloatVector.broadcast(s, w.get(F, weights + 4));
        FloatVector w2 = FloatVector.broadcast(s, w.get(F, weights + 8)), w3 = FloatVector.broadcast(s, w.get(F, weights + 12));
        FloatVector w4 = FloatVector.broadcast(s, w.get(F, weights + 16)), w5 = FloatVector.broadcast(s, w.get(F, weights + 20));
        FloatVector w6 = FloatVector.broadcast(s, w.get(F, weights + 24)), w7 = FloatVector.broadcast(s, w.get(F, weights + 28));
        FloatVector w8 = FloatVector.broadcast(s, w.get(F, weights + 32));
        int o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3], o4 = o[4], o5 = o[5], o6 = o[6], o7 = o[7], o8 = o[8];
        FloatVector b = FloatVector.broadcast(s, bias);
        // An int induction variable: C2 optimizes (and drops the bounds checks of) int-counted loops, not long ones.
        for (int q = 0, step = s.length(); q < count; q += step) {
            FloatVector acc = FloatVector.fromMemorySegment(s, p, 4L * (o0 + q), LE).fma(w0, b);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o1 + q), LE).fma(w1, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o2 + q), LE).fma(w2, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o3 + q), LE).fma(w3, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o4 + q), LE).fma(w4, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o5 + q), LE).fma(w5, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o6 + q), LE).fma(w6, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o7 + q), LE).fma(w7, acc);
            acc = FloatVector.fromMemorySegment(s, p, 4L * (o8 + q), LE).fma(w8, acc);
            acc.max(lo).min(hi).intoMemorySegment(flat, 4L * q, LE);
        }
    }

    private void runTaps(MemorySegment p, int[] o, MemorySegment w, long weights, float bias, float lo, float hi,
                         MemorySegment flat, int count) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length();
        FloatVector b = FloatVector.broadcast(s, bias);
        int q = 0;
        for (; q + BLOCK * n <= count; q += BLOCK * n) {
            FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
            for (int t = 0; t < o.length; t++) {
                FloatVector wt = FloatVector.broadcast(s, w.get(F, weights + t * 4L));
                long at = (long) (o[t] + q) * 4;
                a0 = FloatVector.fromMemorySegment(s, p, at, LE).fma(wt, a0);
                a1 = FloatVector.fromMemorySegment(s, p, at + n * 4L, LE).fma(wt, a1);
                a2 = FloatVector.fromMemorySegment(s, p, at + n * 8L, LE).fma(wt, a2);
                a3 = FloatVector.fromMemorySegment(s, p, at + n * 12L, LE).fma(wt, a3);
            }
            a0.max(lo).min(hi).intoMemorySegment(flat, q * 4L, LE);
            a1.max(lo).min(hi).intoMemorySegment(flat, (q + n) * 4L, LE);
            a2.max(lo).min(hi).intoMemorySegment(flat, (q + 2 * n) * 4L, LE);
            a3.max(lo).min(hi).intoMemorySegment(flat, (q + 3 * n) * 4L, LE);
        }
        for (; q < count; q += n) {
            FloatVector acc = b;
            for (int t = 0; t < o.length; t++) {
                acc = FloatVector.fromMemorySegment(s, p, (long) (o[t] + q) * 4, LE).fma(FloatVector.broadcast(s, w.get(F, weights + t * 4L)), acc);
            }
            acc.max(lo).min(hi).intoMemorySegment(flat, q * 4L, LE);
        }
    }

    /**
     * Copies {@code rows} rows of {@code width} floats, {@code rowLength} floats apart in {@code flat} (from float 0),
     * to consecutive rows of {@code y} from byte {@code to}: the band's real columns into the output.
     */
    void copyRows(MemorySegment flat, int rowLength, MemorySegment y, long to, int width, int rows) {
        VectorSpecies<Float> s = lanes.species();
        int n = s.length(), whole = s.loopBound(width);
        VectorMask<Float> tail = s.indexInRange(whole, width);
        for (int r = 0; r < rows; r++) {
            long src = (long) r * rowLength * Float.BYTES, dst = to + (long) r * width * Float.BYTES;
            for (int j = 0; j < whole; j += n) {
                FloatVector.fromMemorySegment(s, flat, src + j * 4L, LE).intoMemorySegment(y, dst + j * 4L, LE);
            }
            if (whole < width) FloatVector.fromMemorySegment(s, flat, src + whole * 4L, LE).intoMemorySegment(y, dst + whole * 4L, LE, tail);
        }
    }
}
