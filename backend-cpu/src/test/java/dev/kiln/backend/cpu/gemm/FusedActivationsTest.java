package dev.kiln.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The transcendental and piecewise activations a fused node may name: vector against scalar twin against the formula. */
class FusedActivationsTest {
    private static final Map<FusedEpilogue.Activation, DoubleUnaryOperator> FORMULAS = Map.of(
            new FusedEpilogue.Sigmoid(), x -> 1 / (1 + Math.exp(-x)),
            new FusedEpilogue.Silu(), x -> x / (1 + Math.exp(-x)),
            new FusedEpilogue.Tanh(), Math::tanh,
            new FusedEpilogue.HardSigmoid(0.2f, 0.5f), x -> Math.min(Math.max(0.2 * x + 0.5, 0), 1),
            new FusedEpilogue.HardSwish(), x -> x * Math.min(Math.max(x / 6 + 0.5, 0), 1),
            new FusedEpilogue.Gelu(), x -> x * 0.5 * (1 + erf(x / Math.sqrt(2))),
            new FusedEpilogue.GeluTanh(), x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));

    @Test
    void everyLaneEqualsTheScalarTwinAndTheFormula() {
        for (VectorSpecies<Float> s : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            for (var e : FORMULAS.entrySet()) {
                FusedEpilogue.Activation act = e.getKey();
                for (int i = -4000; i <= 4000; i += s.length()) {
                    float[] xs = new float[s.length()];
                    for (int l = 0; l < xs.length; l++) xs[l] = (i + l) / 400f;
                    float[] got = act.apply(FloatVector.fromArray(s, xs, 0)).toArray();
                    for (int l = 0; l < xs.length; l++) {
                        assertEquals(act.apply(xs[l]), got[l], 0f, act + " vector vs scalar at " + xs[l]);
                        double want = e.getValue().applyAsDouble(xs[l]);
                        assertEquals(want, got[l], 1e-6 + 1e-5 * Math.abs(want), act + " at " + xs[l]);
                    }
                }
            }
        }
    }

    @Test
    void namesMapToTheActivationsAndUnknownOnesToNull() {
        assertInstanceOf(FusedEpilogue.HardSwish.class, FusedEpilogue.Activation.named("HardSwish", new float[0], "none"));
        assertEquals(new FusedEpilogue.HardSigmoid(0.1f, 0.6f), FusedEpilogue.Activation.named("HardSigmoid", new float[] {0.1f, 0.6f}, "none"));
        assertInstanceOf(FusedEpilogue.GeluTanh.class, FusedEpilogue.Activation.named("Gelu", new float[0], "tanh"));
        assertEquals(new FusedEpilogue.Clip(0f, 6f), FusedEpilogue.Activation.named("Clip", new float[] {0f, 6f}, "none"));
        assertNull(FusedEpilogue.Activation.named("Clip", new float[0], "none"));
        assertNull(FusedEpilogue.Activation.named("Gelu", new float[0], "erf"));
        assertNull(FusedEpilogue.Activation.named("Softsign", new float[0], "none"));
    }

    /** erf in double: its Maclaurin series up to |x| = 3, the asymptotic series of erfc beyond (relative error < 1e-3 of erfc). */
    private static double erf(double x) {
        double z = Math.abs(x);
        if (z > 3) {
            double u = 1 / (2 * z * z);
            double erfc = Math.exp(-z * z) / (z * Math.sqrt(Math.PI)) * (1 - u + 3 * u * u - 15 * u * u * u);
            return Math.signum(x) * (1 - erfc);
        }
        double term = x, sum = x;
        for (int n = 1; n < 100; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
