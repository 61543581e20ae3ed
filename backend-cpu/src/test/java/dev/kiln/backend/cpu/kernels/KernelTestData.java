package dev.kiln.backend.cpu.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.provider.Arguments;

/** Shared inputs of the kernel tests: odd row lengths, both species, and floats placed at an unaligned offset. */
final class KernelTestData {
    private KernelTestData() {}

    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** A byte offset that is not a multiple of any vector size, so offsets are honoured and alignment not needed. */
    static final long OFFSET = 12;
    static final int[] LENGTHS = {1, 3, 15, 16, 17, 1000, 1001};

    /** Every length at SPECIES_128 and at SPECIES_PREFERRED. */
    static Stream<Arguments> lengthsAtBothSpecies() {
        return Stream.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED).flatMap(species ->
                java.util.Arrays.stream(LENGTHS).mapToObj(n -> Arguments.of(species, n)));
    }

    static float[] gaussian(long seed, int n, float mean, float std) {
        Random random = new Random(seed);
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = (float) (mean + std * random.nextGaussian());
        return xs;
    }

    /** A segment holding {@code xs} from byte {@link #OFFSET} on. */
    static MemorySegment segment(Arena arena, float[] xs) {
        MemorySegment segment = arena.allocate(OFFSET + (long) xs.length * Float.BYTES + OFFSET);
        for (int i = 0; i < xs.length; i++) segment.set(FLOAT, OFFSET + (long) i * Float.BYTES, xs[i]);
        return segment;
    }

    static float[] read(MemorySegment segment, int n) {
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = segment.get(FLOAT, OFFSET + (long) i * Float.BYTES);
        return xs;
    }
}
