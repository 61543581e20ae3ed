package dev.kiln.backend.cpu.kernels;

import dev.kiln.backend.cpu.math.MathFunction;
import dev.kiln.backend.cpu.math.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@code dst[i] = f(src[i])} for one {@link MathFunction}, out of place or in place. */
public final class UnaryMathKernel {
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        // One loop per function, each with its operation as a constant, so that C2 inlines the math into the loop.
        switch (function) {
            case EXP -> run(VectorMath::exp, src, srcOffset, dst, dstOffset, count);
            case LOG -> run(VectorMath::log, src, srcOffset, dst, dstOffset, count);
            case TANH -> run(VectorMath::tanh, src, srcOffset, dst, dstOffset, count);
            case SIGMOID -> run(VectorMath::sigmoid, src, srcOffset, dst, dstOffset, count);
            case ERF -> run(VectorMath::erf, src, srcOffset, dst, dstOffset, count);
            case GELU -> run(VectorMath::gelu, src, srcOffset, dst, dstOffset, count);
            case SOFTPLUS -> run(VectorMath::softplus, src, srcOffset, dst, dstOffset, count);
        }
    }

    private void run(UnaryOperator<FloatVector> op, MemorySegment src, long srcOffset, MemorySegment dst,
                     long dstOffset, int count) {
        VectorSpecies<Float> species = lanes.species();
        int bound = species.loopBound(count);
        for (int i = 0; i < bound; i += species.length()) {
            long at = (long) i * Float.BYTES;
            FloatVector x = FloatVector.fromMemorySegment(species, src, srcOffset + at, ByteOrder.LITTLE_ENDIAN);
            op.apply(x).intoMemorySegment(dst, dstOffset + at, ByteOrder.LITTLE_ENDIAN);
        }
        for (int i = bound; i < count; i++) {
            long at = (long) i * Float.BYTES;
            dst.set(FLOAT, dstOffset + at, function.apply(src.get(FLOAT, srcOffset + at)));
        }
    }
}
