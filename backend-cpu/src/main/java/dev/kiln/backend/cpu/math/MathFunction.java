package dev.kiln.backend.cpu.math;

import jdk.incubator.vector.FloatVector;

/** The functions of {@link VectorMath} by name, for kernels and tests that pick one at run time. */
public enum MathFunction {
    EXP, LOG, TANH, SIGMOID, ERF, GELU, SOFTPLUS;

    /** The vector version; a switch per call, so hot loops call {@link VectorMath} directly instead. */
    public FloatVector apply(FloatVector x) {
        return switch (this) {
            case EXP -> VectorMath.exp(x);
            case LOG -> VectorMath.log(x);
            case TANH -> VectorMath.tanh(x);
            case SIGMOID -> VectorMath.sigmoid(x);
            case ERF -> VectorMath.erf(x);
            case GELU -> VectorMath.gelu(x);
            case SOFTPLUS -> VectorMath.softplus(x);
        };
    }

    /** The scalar twin, bit-identical to a lane of {@link #apply(FloatVector)}. */
    public float apply(float x) {
        return switch (this) {
            case EXP -> ScalarMath.exp(x);
            case LOG -> ScalarMath.log(x);
            case TANH -> ScalarMath.tanh(x);
            case SIGMOID -> ScalarMath.sigmoid(x);
            case ERF -> ScalarMath.erf(x);
            case GELU -> ScalarMath.gelu(x);
            case SOFTPLUS -> ScalarMath.softplus(x);
        };
    }
}
