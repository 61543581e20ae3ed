package dev.kiln.backend.cpu.kernels;

import dev.kiln.backend.cpu.math.ScalarMath;
import dev.kiln.backend.cpu.math.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax over the last axis of a row-major {@code rows x cols} float32 tensor, numerically stable
 * (the row maximum is subtracted before exponentiating). A row holding NaN, or +inf, or only -inf gives NaN, as the
 * defining formula does. Output may alias input exactly (in place).
 */
public final class SoftmaxKernel {
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;

    public SoftmaxKernel(VectorSpecies<Float> species) {
        this.lanes = FloatLanes.of(species);
    }

    /** dst = e^(x - max) / Σ e^(x - max) per row; offsets in bytes. */
    public void softmax(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int rows, int cols) {
        long rowBytes = (long) cols * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            long in = srcOffset + r * rowBytes;
            long out = dstOffset + r * rowBytes;
            float max = rowMax(src, in, cols);
            float sum = expShifted(src, in, dst, out, cols, max);
            scale(dst, out, cols, 1f / sum);
        }
    }

    /** dst = x - max - ln Σ e^(x - max) per row; offsets in bytes. */
    public void logSoftmax(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int rows, int cols) {
        long rowBytes = (long) cols * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            long in = srcOffset + r * rowBytes;
            long out = dstOffset + r * rowBytes;
            float max = rowMax(src, in, cols);
            float logSum = (float) Math.log(sumExpShifted(src, in, cols, max));
            shift(src, in, dst, out, cols, max, logSum);
        }
    }

    private float rowMax(MemorySegment src, long in, int cols) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        float max = Float.NEGATIVE_INFINITY;
        // Rows shorter than a vector (a classifier's few logits) touch no vector at all, so nothing is boxed.
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < bound; i += species.length()) {
                acc = acc.max(FloatVector.fromMemorySegment(species, src, in + (long) i * Float.BYTES, LE));
            }
            max = acc.reduceLanes(VectorOperators.MAX);
        }
        for (int i = bound; i < cols; i++) max = Math.max(max, src.get(FLOAT, in + (long) i * Float.BYTES));
        return max;
    }

    /** Writes e^(x - max) to dst and returns the row's sum of them. */
    private float expShifted(MemorySegment src, long in, MemorySegment dst, long out, int cols, float max) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        float sum = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(species);
            for (int i = 0; i < bound; i += species.length()) {
                long at = (long) i * Float.BYTES;
                FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(species, src, in + at, LE).sub(max));
                e.intoMemorySegment(dst, out + at, LE);
                acc = acc.add(e);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (int i = bound; i < cols; i++) {
            long at = (long) i * Float.BYTES;
            float e = ScalarMath.exp(src.get(FLOAT, in + at) - max);
            dst.set(FLOAT, out + at, e);
            sum += e;
        }
        return sum;
    }

    private float sumExpShifted(MemorySegment src, long in, int cols, float max) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        float sum = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(species);
            for (int i = 0; i < bound; i += species.length()) {
                FloatVector x = FloatVector.fromMemorySegment(species, src, in + (long) i * Float.BYTES, LE);
                acc = acc.add(VectorMath.exp(x.sub(max)));
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (int i = bound; i < cols; i++) sum += ScalarMath.exp(src.get(FLOAT, in + (long) i * Float.BYTES) - max);
        return sum;
    }

    private void scale(MemorySegment dst, long out, int cols, float factor) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        for (int i = 0; i < bound; i += species.length()) {
            long at = out + (long) i * Float.BYTES;
            FloatVector.fromMemorySegment(species, dst, at, LE).mul(factor).intoMemorySegment(dst, at, LE);
        }
        for (int i = bound; i < cols; i++) {
            long at = out + (long) i * Float.BYTES;
            dst.set(FLOAT, at, dst.get(FLOAT, at) * factor);
        }
    }

    /** dst = (x - max) - logSum: subtracting the max first keeps x - max exact for the values that matter. */
    private void shift(MemorySegment src, long in, MemorySegment dst, long out, int cols, float max, float logSum) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        for (int i = 0; i < bound; i += species.length()) {
            long at = (long) i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(species, src, in + at, LE);
            x.sub(max).sub(logSum).intoMemorySegment(dst, out + at, LE);
        }
        for (int i = bound; i < cols; i++) {
            long at = (long) i * Float.BYTES;
            dst.set(FLOAT, out + at, (src.get(FLOAT, in + at) - max) - logSum);
        }
    }
}
