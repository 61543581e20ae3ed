package dev.kiln.backend.cpu.math;

/**
 * Double-precision references for the float math under test: {@code StrictMath} where it has the function, and for
 * erf / erfc a positive-term series (no cancellation) below 2.5 and a continued fraction above, both accurate to
 * about 1e-13 relative — far below a float ulp (6e-8).
 */
final class ReferenceMath {
    private ReferenceMath() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SERIES_LIMIT = 2.5;

    static double exp(double x) { return StrictMath.exp(x); }

    static double log(double x) { return StrictMath.log(x); }

    static double tanh(double x) { return StrictMath.tanh(x); }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
    }

    static double softplus(double x) {
        return Math.max(x, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(x)));
    }

    static double gelu(double x) {
        if (Double.isNaN(x)) return x;
        return 0.5 * x * erfc(-x / Math.sqrt(2));
    }

    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r = a < SERIES_LIMIT ? erfSeries(a) : 1 - erfcContinuedFraction(a);
        return Math.copySign(r, x);
    }

    static double erfc(double x) {
        if (x < SERIES_LIMIT) return x < 0 ? 1 + erf(-x) : 1 - erfSeries(x);
        return erfcContinuedFraction(x);
    }

    /** erf(a) = 2/√π e^(-a²) Σ 2^n a^(2n+1) / (1·3·…·(2n+1)): every term positive. */
    private static double erfSeries(double a) {
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-18 * sum; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * StrictMath.exp(-a * a) * sum;
    }

    /** erfc(a) = e^(-a²)/√π / (a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the bottom. */
    private static double erfcContinuedFraction(double a) {
        if (a > 27) return 0; // e^(-a^2) underflows double
        double f = a;
        for (int n = 400; n >= 1; n--) f = a + (n / 2.0) / f;
        return StrictMath.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
}
