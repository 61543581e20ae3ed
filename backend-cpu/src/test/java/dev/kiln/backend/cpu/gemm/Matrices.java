package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;

/** Test operands: segments of random floats in [-1, 1), with a guard before and after to catch stray writes. */
final class Matrices {
    static final float GUARD = 12345.0f;

    private Matrices() {}

    /** {@code floats} random values after {@code offsetFloats} guard values, followed by 16 guard values. */
    static MemorySegment random(Arena arena, long seed, int offsetFloats, int floats) {
        MemorySegment s = arena.allocate((offsetFloats + floats + 16L) * 4, 4);
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < s.byteSize() / 4; i++) {
            boolean inside = i >= offsetFloats && i < offsetFloats + floats;
            s.set(FLOAT, i * 4, inside ? (float) (random.nextDouble() * 2 - 1) : GUARD);
        }
        return s;
    }

    /** Whether the guard values around {@code [offsetFloats, offsetFloats + floats)} are intact. */
    static boolean guardsIntact(MemorySegment s, int offsetFloats, int floats) {
        for (long i = 0; i < s.byteSize() / 4; i++) {
            if ((i < offsetFloats || i >= offsetFloats + floats) && s.get(FLOAT, i * 4) != GUARD) return false;
        }
        return true;
    }

    static MemorySegment copy(Arena arena, MemorySegment s) {
        return arena.allocate(s.byteSize(), 4).copyFrom(s);
    }
}
