package dev.kiln.backend.cpu.math;

import static dev.kiln.backend.cpu.math.MathConstants.*;

/**
 * The scalar twins of {@link VectorMath}: the same reductions and polynomials, written with the same operations in
 * the same order (fused multiply-adds included), so that each function returns bit for bit what the vector version
 * returns in every lane. Kernels use them for their tails; tests use them to check the vector code. The accuracy
 * figures are those documented on {@link VectorMath}.
 */
public final class ScalarMath {
    private ScalarMath() {}

    /** e^x; +inf above 88.72, +0 below -103.97, denormal results rounded once. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN_ARG), EXP_MAX_ARG);
        float t = Math.fma(xc, LOG2_E, ROUND_MAGIC);
        int n = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float nf = t - ROUND_MAGIC;
        float r = Math.fma(nf, -LN2_HI, xc);
        r = Math.fma(nf, -LN2_LO, r);
        float p = Math.fma(EXP_Q5, r, EXP_Q4);
        p = Math.fma(p, r, EXP_Q3);
        p = Math.fma(p, r, EXP_Q2);
        p = Math.fma(p, r, EXP_Q1);
        p = Math.fma(p, r, EXP_Q0);
        float y = Math.fma(p, r * r, r) + 1f;
        // 2^n in two factors: n reaches -150 and 128, beyond a single float exponent, and the product rounds once.
        int n1 = n >> 1;
        int n2 = n - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /** Natural logarithm; -inf at ±0, NaN below 0, denormal inputs normalized first. */
    public static float log(float x) {
        boolean denormal = x < MIN_NORMAL;
        float xs = denormal ? x * TWO_POW_23 : x;
        int bits = Float.floatToRawIntBits(xs);
        float m = Float.intBitsToFloat((bits & MANTISSA_MASK) | HALF_EXPONENT_BITS);
        float e = (float) ((bits >>> 23) - 126);
        e = denormal ? e - 23f : e;
        boolean low = m < SQRT_HALF;
        e = low ? e - 1f : e;
        float f = low ? (m + m) - 1f : m - 1f;
        float q = Math.fma(LOG_Q8, f, LOG_Q7);
        q = Math.fma(q, f, LOG_Q6);
        q = Math.fma(q, f, LOG_Q5);
        q = Math.fma(q, f, LOG_Q4);
        q = Math.fma(q, f, LOG_Q3);
        q = Math.fma(q, f, LOG_Q2);
        q = Math.fma(q, f, LOG_Q1);
        q = Math.fma(q, f, LOG_Q0);
        float z = f * f;
        float y = (f * z) * q;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        float r = Math.fma(e, LN2_HI, f + y);
        r = x == 0f ? Float.NEGATIVE_INFINITY : r;
        r = x == Float.POSITIVE_INFINITY ? Float.POSITIVE_INFINITY : r;
        return x >= 0f ? r : Float.NaN;
    }

    /** Hyperbolic tangent; odd polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above, exactly ±1 from 9.01. */
    public static float tanh(float x) {
        // Both branches on |x|, sign restored last: x + x^3 Q would turn -0 into +0.
        float a = Math.abs(x);
        float z = a * a;
        float q = Math.fma(TANH_Q4, z, TANH_Q3);
        q = Math.fma(q, z, TANH_Q2);
        q = Math.fma(q, z, TANH_Q1);
        q = Math.fma(q, z, TANH_Q0);
        float small = Math.fma(a * z, q, a);
        float large = 1f - 2f / (exp(a + a) + 1f);
        return withSignOf(a < TANH_POLY_LIMIT ? small : large, x);
    }

    /** Logistic sigmoid 1 / (1 + e^-x), as e^x / (1 + e^x) for negative x so that it never overflows. */
    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float numerator = x >= 0f ? 1f : e;
        return numerator / (1f + e);
    }

    /** Error function; odd polynomial below |x| = 1, 1 - erfc above (exactly ±1 from 3.92). */
    public static float erf(float x) {
        float a = Math.min(Math.abs(x), ERF_MAX_ABS);
        float z = a * a;
        float small = erfSmall(a, z);
        float large = 1f - expMinusSquare(z, Math.fma(a, a, -z)) * erfcTailFactor(a);
        return withSignOf(a < ERF_POLY_LIMIT ? small : large, x);
    }

    /**
     * GELU x * Φ(x) = x/2 * erfc(-x/√2), exact form. For negative x straight from erfc (no cancellation), with
     * e^(-x²/2) multiplied last so that no intermediate goes denormal before the result does.
     */
    public static float gelu(float x) {
        float a = Math.min(Math.abs(x), GELU_MAX_ABS);
        float y = a * INV_SQRT2;
        float aa = a * a;
        float e = expMinusSquare(aa * 0.5f, Math.fma(a, a, -aa) * 0.5f);
        float tr = erfcTailFactor(y);
        boolean small = y < ERF_POLY_LIMIT;
        float halfSmall = 0.5f * (1f - erfSmall(y, y * y));
        float half = small ? halfSmall : 0.5f * (e * tr);
        float xc = Math.max(x, -GELU_MAX_ABS);
        float negative = small ? xc * halfSmall : e * ((tr * xc) * 0.5f);
        return x >= 0f ? x * (1f - half) : negative;
    }

    /** Softplus ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), the last term through an accurate log1p. */
    public static float softplus(float x) {
        float e = exp(-Math.abs(x));
        float u = 1f + e;
        float log1p = u == 1f ? e : log(u) * (e / (u - 1f));
        return Math.max(x, 0f) + log1p;
    }

    /** erf(a) = a + a * Q(a^2) for 0 <= a <= 1, given z = a^2. */
    static float erfSmall(float a, float z) {
        float q = Math.fma(ERF_Q6, z, ERF_Q5);
        q = Math.fma(q, z, ERF_Q4);
        q = Math.fma(q, z, ERF_Q3);
        q = Math.fma(q, z, ERF_Q2);
        q = Math.fma(q, z, ERF_Q1);
        q = Math.fma(q, z, ERF_Q0);
        return Math.fma(a, q, a);
    }

    /** erfc(y) * e^(y²) for y >= 1: 1/y * R(1/y - 0.55). */
    static float erfcTailFactor(float y) {
        float t = 1f / y;
        float s = t - ERFC_SHIFT;
        float r = Math.fma(ERFC_R10, s, ERFC_R9);
        r = Math.fma(r, s, ERFC_R8);
        r = Math.fma(r, s, ERFC_R7);
        r = Math.fma(r, s, ERFC_R6);
        r = Math.fma(r, s, ERFC_R5);
        r = Math.fma(r, s, ERFC_R4);
        r = Math.fma(r, s, ERFC_R3);
        r = Math.fma(r, s, ERFC_R2);
        r = Math.fma(r, s, ERFC_R1);
        r = Math.fma(r, s, ERFC_R0);
        return t * r;
    }

    /** e^(-(hi + lo)) for a square given as the unevaluated sum hi + lo, so that it keeps its relative accuracy. */
    static float expMinusSquare(float squareHi, float squareLo) {
        float e = exp(-squareHi);
        return Math.fma(e, -squareLo, e);
    }

    private static float withSignOf(float magnitude, float sign) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) | (Float.floatToRawIntBits(sign) & SIGN_MASK));
    }
}
