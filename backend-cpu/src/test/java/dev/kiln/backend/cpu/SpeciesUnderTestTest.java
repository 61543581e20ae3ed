package dev.kiln.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The build runs the kernel tests twice (see backend-cpu/pom.xml): at the machine's preferred species and with
 * 128-bit vectors. This checks that the second run really gets the species it names, so its results mean something.
 */
class SpeciesUnderTestTest {
    @Test
    void preferredSpeciesIsTheOneThisRunWasStartedFor() {
        String expected = System.getProperty("kiln.expectedVectorBits");
        assumeTrue(expected != null, "the default run: the machine's preferred species");
        assertEquals(Integer.parseInt(expected), FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }
}
