package dev.kiln.backend.cpu.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NaN, infinities, signed zeros, denormals and the overflow / underflow edges, at both species and in the twin. */
class VectorMathSpecialValuesTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float DENORMAL = Float.MIN_VALUE * 5;

    /** One input and its exact expected result (bit for bit; any NaN matches NaN). */
    record Expect(MathFunction function, float x, float want) {}

    static Stream<Expect> expectations() {
        return Stream.of(
                new Expect(MathFunction.EXP, NAN, NAN), new Expect(MathFunction.EXP, INF, INF),
                new Expect(MathFunction.EXP, -INF, 0f), new Expect(MathFunction.EXP, -0f, 1f),
                new Expect(MathFunction.EXP, 88.72283f, 3.4027985e38f), new Expect(MathFunction.EXP, 88.72284f, INF),
                new Expect(MathFunction.EXP, -103.2789f, Float.MIN_VALUE), new Expect(MathFunction.EXP, -104f, 0f),
                new Expect(MathFunction.EXP, DENORMAL, 1f),
                new Expect(MathFunction.LOG, NAN, NAN), new Expect(MathFunction.LOG, -1f, NAN),
                new Expect(MathFunction.LOG, -INF, NAN), new Expect(MathFunction.LOG, -DENORMAL, NAN),
                new Expect(MathFunction.LOG, 0f, -INF), new Expect(MathFunction.LOG, -0f, -INF),
                new Expect(MathFunction.LOG, INF, INF), new Expect(MathFunction.LOG, 1f, 0f),
                new Expect(MathFunction.LOG, Float.MIN_VALUE, -103.27893f),
                new Expect(MathFunction.LOG, Float.MAX_VALUE, 88.72284f),
                new Expect(MathFunction.TANH, NAN, NAN), new Expect(MathFunction.TANH, INF, 1f),
                new Expect(MathFunction.TANH, -INF, -1f), new Expect(MathFunction.TANH, -0f, -0f),
                new Expect(MathFunction.TANH, -DENORMAL, -DENORMAL), new Expect(MathFunction.TANH, 9.1f, 1f),
                new Expect(MathFunction.TANH, -50f, -1f),
                new Expect(MathFunction.SIGMOID, NAN, NAN), new Expect(MathFunction.SIGMOID, INF, 1f),
                new Expect(MathFunction.SIGMOID, -INF, 0f), new Expect(MathFunction.SIGMOID, -0f, 0.5f),
                new Expect(MathFunction.SIGMOID, -100f, 3.7200760e-44f), new Expect(MathFunction.SIGMOID, 20f, 1f),
                new Expect(MathFunction.ERF, NAN, NAN), new Expect(MathFunction.ERF, INF, 1f),
                new Expect(MathFunction.ERF, -INF, -1f), new Expect(MathFunction.ERF, -0f, -0f),
                new Expect(MathFunction.ERF, 4f, 1f), new Expect(MathFunction.ERF, -1e30f, -1f),
                new Expect(MathFunction.GELU, NAN, NAN), new Expect(MathFunction.GELU, INF, INF),
                new Expect(MathFunction.GELU, -INF, -0f), new Expect(MathFunction.GELU, -0f, -0f),
                new Expect(MathFunction.GELU, 0f, 0f), new Expect(MathFunction.GELU, -30f, -0f),
                new Expect(MathFunction.GELU, 1e30f, 1e30f),
                new Expect(MathFunction.SOFTPLUS, NAN, NAN), new Expect(MathFunction.SOFTPLUS, INF, INF),
                new Expect(MathFunction.SOFTPLUS, -INF, 0f), new Expect(MathFunction.SOFTPLUS, 1e30f, 1e30f),
                new Expect(MathFunction.SOFTPLUS, -100f, 3.7200760e-44f),
                new Expect(MathFunction.SOFTPLUS, 0f, 0.6931472f));
    }

    static Stream<VectorSpecies<Float>> species() {
        return Stream.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED);
    }

    @ParameterizedTest
    @MethodSource("species")
    void specialValuesGiveTheirLimits(VectorSpecies<Float> species) {
        float[] lanes = new float[species.length()];
        expectations().forEach(e -> {
            String what = e.function() + "(" + e.x() + ")";
            assertEquals(e.want(), e.function().apply(e.x()), what + " scalar");
            e.function().apply(FloatVector.broadcast(species, e.x())).intoArray(lanes, 0);
            for (float lane : lanes) assertEquals(e.want(), lane, what + " at " + species);
        });
    }
}
