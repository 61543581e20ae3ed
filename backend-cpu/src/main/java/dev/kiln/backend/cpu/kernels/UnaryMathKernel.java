package dev.kiln.backend.cpu.kernels;

import dev.kiln.backend.cpu.math.MathFunction;
import dev.kiln.backend.cpu.math.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@code dst[i] = f(src[i])} for one {@link MathFunction}, out of place or in place. */
public final class UnaryMathKernel {
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;
    private final MathFunction function;

    public UnaryMathKernel(VectorSpecies<Float> species, MathFunction function) {
        this.lanes = FloatLanes.of(species);
        this.function = function;
    }

    /**
     * Applies the function to {@code count} floats from {@code src} at byte offset {@code srcOffset} into
     * {@code dst} at {@code dstOffset}; the ranges must be the same (in place) or disjoint.
     */
    public void apply(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int count) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(count);
        int step = species.length();
        // A loop per function that calls VectorMath directly, with nothing else of ours in it: C2 keeps vectors in
        // registers only where it inlines all the math, and once a compilation passes its node-count cutoff
        // (NodeCountInliningCutoff, reached by one exp's worth of Vector API code) it stops inlining any call
        // that is not a Vector API (@ForceInline) method; a helper or lambda after that point boxes every vector.
        switch (function) {
            case EXP -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.exp(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case LOG -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.log(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case TANH -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.tanh(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.sigmoid(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case ERF -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.erf(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case GELU -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.gelu(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < bound; i += step) {
                    long at = (long) i * Float.BYTES;
                    FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, LE);
                    VectorMath.softplus(x).intoMemorySegment(dst, dstOffset + at, LE);
                }
            }
        }
        for (int i = bound; i < count; i++) {
            long at = (long) i * Float.BYTES;
            dst.set(FLOAT, dstOffset + at, function.apply(src.get(FLOAT, srcOffset + at)));
        }
    }
}
