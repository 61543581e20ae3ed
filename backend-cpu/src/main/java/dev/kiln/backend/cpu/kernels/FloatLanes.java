package dev.kiln.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float species that a kernel instance holds and still gets as a compile-time constant. The Vector API compiles to
 * vector instructions only where C2 sees the species as a constant; a species in an instance field is not one. Each
 * constant here returns a static final species from its own class body, so a kernel's {@code lanes.species()} call,
 * monomorphic in a running backend, inlines to that constant.
 */
public enum FloatLanes {
    LANES_64 {
        @Override
        public VectorSpecies<Float> species() { return FloatVector.SPECIES_64; }
    },
    LANES_128 {
        @Override
        public VectorSpecies<Float> species() { return FloatVector.SPECIES_128; }
    },
    LANES_256 {
        @Override
        public VectorSpecies<Float> species() { return FloatVector.SPECIES_256; }
    },
    LANES_512 {
        @Override
        public VectorSpecies<Float> species() { return FloatVector.SPECIES_512; }
    };

    public abstract VectorSpecies<Float> species();

    /** The constant for a species of 64 to 512 bits (the shapes x86 and AArch64 have). */
    public static FloatLanes of(VectorSpecies<Float> species) {
        return switch (species.vectorBitSize()) {
            case 64 -> LANES_64;
            case 128 -> LANES_128;
            case 256 -> LANES_256;
            case 512 -> LANES_512;
            default -> throw new IllegalArgumentException("no fixed float species of " + species.vectorBitSize()
                    + " bits");
        };
    }
}
