package dev.kiln.backend.cpu.math;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented maximum errors of {@link VectorMath} (class Javadoc and docs/cpu-vector-math.md), measured over
 * every 257th finite float of both signs plus every float in windows around each function's branch points and
 * thresholds, at the smallest and the largest species; every lane also equals the scalar twin bit for bit.
 */
class VectorMathAccuracyTest {
    private static final float[] WHOLE_RANGE = ErrorSweep.wholeRange(257);

    /** One function's case: reference, documented max ulp and relative error, and [lo, hi] pairs swept densely. */
    record Case(MathFunction function, DoubleUnaryOperator reference, double maxUlp, double maxRelative,
                float... windows) {
        @Override
        public String toString() { return function.toString(); }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(MathFunction.EXP, ReferenceMath::exp, 1, 1e-7, 0.5f, 1f, -1f, -0.5f, -104f, -86f, 80f, 89f),
                new Case(MathFunction.LOG, ReferenceMath::log, 1, 1e-7, 0.5f, 2f, 1e-45f, 1e-37f),
                new Case(MathFunction.TANH, ReferenceMath::tanh, 1.5, 1.5e-7, 0.5f, 0.75f, -0.75f, -0.5f, 8f, 10f),
                new Case(MathFunction.SIGMOID, ReferenceMath::sigmoid, 2.5, 2e-7, 0.5f, 2f, -2f, -0.5f, -104f, -80f),
                new Case(MathFunction.ERF, ReferenceMath::erf, 1.5, 1e-7, 0.5f, 1.5f, -4f, -0.9f),
                new Case(MathFunction.GELU, ReferenceMath::gelu, 7, 4.5e-7, 1f, 2f, -15f, -1f, -1f, -0.5f),
                new Case(MathFunction.SOFTPLUS, ReferenceMath::softplus, 3, 2.5e-7, -20f, -1f, 1f, 20f, -1f, -0.5f));
    }

    static Stream<Arguments> casesAtBothSpecies() {
        return cases().flatMap(c -> Stream.of(
                Arguments.of(c, FloatVector.SPECIES_128), Arguments.of(c, FloatVector.SPECIES_PREFERRED)));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("casesAtBothSpecies")
    void errorStaysWithinDocumentedBound(Case c, VectorSpecies<Float> species) {
        ErrorSweep sweep = new ErrorSweep();
        sweep.run(c.function(), c.reference(), species, WHOLE_RANGE);
        for (int w = 0; w < c.windows().length; w += 2) {
            float[] window = ErrorSweep.window(c.windows()[w], c.windows()[w + 1]);
            sweep.run(c.function(), c.reference(), species, window);
        }
        System.out.println(c.function() + " at " + species + ": " + sweep);
        assertTrue(sweep.maxUlp <= c.maxUlp(), c.function() + ": " + sweep);
        assertTrue(sweep.maxRelative <= c.maxRelative(), c.function() + ": " + sweep);
    }
}
