package dev.kiln.backend.cpu.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalization over the last axis of a row-major {@code rows x cols} float32 tensor, as ONNX
 * LayerNormalization (axis -1) defines it: y = (x - mean) / sqrt(var + epsilon) * scale + bias, with the population
 * variance computed in a second pass over x - mean. The mean is kept as the row's first element plus the mean
 * deviation from it, and x - mean is evaluated as (x - x0) - that deviation: for rows far from zero relative to
 * their spread, x - x0 is exact and the float rounding of the mean itself never enters. Output may alias input
 * exactly (in place).
 */
public final class LayerNormKernel {
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;

    public LayerNormKernel(VectorSpecies<Float> species) {
        this.lanes = FloatLanes.of(species);
    }

    /**
     * Normalizes each row; {@code scale} and {@code bias} hold {@code cols} floats each ({@code bias} may be
     * {@code null}: no bias). Offsets in bytes.
     */
    public void normalize(MemorySegment src, long srcOffset, MemorySegment scale, long scaleOffset,
                          MemorySegment bias, long biasOffset, MemorySegment dst, long dstOffset,
                          int rows, int cols, float epsilon) {
        long rowBytes = (long) cols * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            long in = srcOffset + r * rowBytes;
            float pivot = src.get(FLOAT, in);
            float meanDeviation = deviationSum(src, in, cols, pivot) / cols;
            float variance = squaredDeviationSum(src, in, cols, pivot, meanDeviation) / cols;
            float invStd = (float) (1 / Math.sqrt((double) variance + epsilon));
            long out = dstOffset + r * rowBytes;
            if (bias == null) {
                scaleRow(src, in, scale, scaleOffset, dst, out, cols, pivot, meanDeviation, invStd);
            } else {
                scaleShiftRow(src, in, scale, scaleOffset, bias, biasOffset, dst, out, cols, pivot, meanDeviation,
                        invStd);
            }
        }
    }

    private float deviationSum(MemorySegment src, long in, int cols, float pivot) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        FloatVector acc = FloatVector.zero(species);
        for (int i = 0; i < bound; i += species.length()) {
            acc = acc.add(FloatVector.fromMemorySegment(species, src, in + (long) i * Float.BYTES, LE).sub(pivot));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < cols; i++) sum += src.get(FLOAT, in + (long) i * Float.BYTES) - pivot;
        return sum;
    }

    private float squaredDeviationSum(MemorySegment src, long in, int cols, float pivot, float meanDeviation) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        FloatVector acc = FloatVector.zero(species);
        for (int i = 0; i < bound; i += species.length()) {
            FloatVector x = FloatVector.fromMemorySegment(species, src, in + (long) i * Float.BYTES, LE);
            FloatVector d = x.sub(pivot).sub(meanDeviation);
            acc = d.fma(d, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < cols; i++) {
            float d = (src.get(FLOAT, in + (long) i * Float.BYTES) - pivot) - meanDeviation;
            sum = Math.fma(d, d, sum);
        }
        return sum;
    }

    private void scaleRow(MemorySegment src, long in, MemorySegment scale, long scaleOffset, MemorySegment dst,
                          long out, int cols, float pivot, float meanDeviation, float invStd) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        for (int i = 0; i < bound; i += species.length()) {
            long at = (long) i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(species, src, in + at, LE);
            FloatVector g = FloatVector.fromMemorySegment(species, scale, scaleOffset + at, LE);
            x.sub(pivot).sub(meanDeviation).mul(invStd).mul(g).intoMemorySegment(dst, out + at, LE);
        }
        for (int i = bound; i < cols; i++) {
            long at = (long) i * Float.BYTES;
            float normalized = ((src.get(FLOAT, in + at) - pivot) - meanDeviation) * invStd;
            dst.set(FLOAT, out + at, normalized * scale.get(FLOAT, scaleOffset + at));
        }
    }

    private void scaleShiftRow(MemorySegment src, long in, MemorySegment scale, long scaleOffset, MemorySegment bias,
                               long biasOffset, MemorySegment dst, long out, int cols, float pivot,
                               float meanDeviation, float invStd) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(cols);
        for (int i = 0; i < bound; i += species.length()) {
            long at = (long) i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(species, src, in + at, LE);
            FloatVector g = FloatVector.fromMemorySegment(species, scale, scaleOffset + at, LE);
            FloatVector b = FloatVector.fromMemorySegment(species, bias, biasOffset + at, LE);
            x.sub(pivot).sub(meanDeviation).mul(invStd).fma(g, b).intoMemorySegment(dst, out + at, LE);
        }
        for (int i = bound; i < cols; i++) {
            long at = (long) i * Float.BYTES;
            float normalized = ((src.get(FLOAT, in + at) - pivot) - meanDeviation) * invStd;
            dst.set(FLOAT, out + at, Math.fma(normalized, scale.get(FLOAT, scaleOffset + at),
                    bias.get(FLOAT, biasOffset + at)));
        }
    }
}
