package dev.kiln.backend.cpu.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Runs one function over a set of float inputs at one species: checks every lane bit for bit against the scalar
 * twin and the ONNX tolerance against the double reference, and records the largest errors.
 */
final class ErrorSweep {
    /** ONNX conformance tolerance: |got - want| <= ATOL + RTOL * |want|. */
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-7;

    double maxUlp;
    float maxUlpAt = Float.NaN;
    double maxRelative;
    float maxRelativeAt = Float.NaN;
    long count;

    void run(MathFunction function, DoubleUnaryOperator reference, VectorSpecies<Float> species, float[] inputs) {
        int lanes = species.length();
        float[] out = new float[lanes];
        for (int i = 0; i + lanes <= inputs.length; i += lanes) {
            function.apply(FloatVector.fromArray(species, inputs, i)).intoArray(out, 0);
            for (int l = 0; l < lanes; l++) record(function, reference, inputs[i + l], out[l]);
        }
    }

    private void record(MathFunction function, DoubleUnaryOperator reference, float x, float got) {
        count++;
        float twin = function.apply(x);
        if (Float.floatToIntBits(twin) != Float.floatToIntBits(got)) {
            fail(function + "(" + x + "): vector " + got + " but scalar twin " + twin);
        }
        double want = reference.applyAsDouble(x);
        float rounded = (float) want;
        if (Double.isNaN(want) || Float.isInfinite(rounded)) {
            assertEquals(rounded, got, function + "(" + x + ")");
            return;
        }
        double error = Math.abs(got - want);
        if (!(error <= ATOL + RTOL * Math.abs(want))) fail(function + "(" + x + ") = " + got + ", want " + want);
        double ulp = error / Math.ulp(rounded);
        if (ulp > maxUlp) {
            maxUlp = ulp;
            maxUlpAt = x;
        }
        if (Math.abs(rounded) >= Float.MIN_NORMAL && error / Math.abs(want) > maxRelative) {
            maxRelative = error / Math.abs(want);
            maxRelativeAt = x;
        }
    }

    @Override
    public String toString() {
        return String.format("%d inputs: max %.3f ulp at %s, max rel %.3g at %s",
                count, maxUlp, maxUlpAt, maxRelative, maxRelativeAt);
    }

    /** Every {@code stride}-th finite float of both signs by bit pattern, denormals and zeros included. */
    static float[] wholeRange(int stride) {
        int perSign = (0x7F800000 + stride - 1) / stride;
        float[] xs = new float[2 * perSign];
        for (int k = 0; k < perSign; k++) {
            int bits = k * stride;
            xs[2 * k] = Float.intBitsToFloat(bits);
            xs[2 * k + 1] = -Float.intBitsToFloat(bits);
        }
        return xs;
    }

    /** Floats in [lo, hi] (same sign) by bit pattern: every one if there are at most a million, else evenly spaced. */
    static float[] window(float lo, float hi) {
        int a = Float.floatToIntBits(Math.abs(lo));
        int b = Float.floatToIntBits(Math.abs(hi));
        int from = Math.min(a, b);
        int stride = Math.max(1, (Math.max(a, b) - from) / 1_000_000);
        int n = (Math.max(a, b) - from) / stride + 1;
        float[] xs = new float[n];
        for (int k = 0; k < n; k++) xs[k] = Math.copySign(Float.intBitsToFloat(from + k * stride), lo);
        return xs;
    }
}
