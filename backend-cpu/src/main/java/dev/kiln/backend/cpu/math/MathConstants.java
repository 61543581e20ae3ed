package dev.kiln.backend.cpu.math;

/**
 * The constants shared by {@link VectorMath} and its scalar twin {@link ScalarMath}, so that both evaluate the same
 * polynomials with the same operations and agree bit for bit.
 *
 * <p>The polynomial coefficients were fitted for Kiln (Lawson's iteratively reweighted least squares towards the
 * minimax polynomial of the relative error, against 40-digit mpmath values on 2000 Chebyshev nodes; each
 * coefficient then rounded to float one at a time, lowest power first, refitting the higher ones). The fit errors
 * below are those of the float coefficients in exact arithmetic; float evaluation adds its own rounding.
 */
final class MathConstants {
    private MathConstants() {}

    static final float LOG2_E = 1.44269504088896341f;
    /** ln 2 split for Cody-Waite reduction: the high part has 9 significant bits, so {@code n * LN2_HI} is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;

    /** exp's argument range: below it the result rounds to +0, above it to +inf; clamping keeps 2^n finite. */
    static final float EXP_MIN_ARG = -104f;
    static final float EXP_MAX_ARG = 89f;

    // e^r = 1 + r + r^2 * Q(r) on |r| <= ln2/2; relative fit error 9.7e-11.
    static final float EXP_Q5 = 0.00019740249f;
    static final float EXP_Q4 = 0.0013935078f;
    static final float EXP_Q3 = 0.00833357f;
    static final float EXP_Q2 = 0.041666463f;
    static final float EXP_Q1 = 0.16666666f;
    static final float EXP_Q0 = 0.5f;

    static final float SQRT_HALF = 0.70710677f;
    static final float MIN_NORMAL = Float.MIN_NORMAL;
    static final float TWO_POW_23 = 8388608f;
    static final int MANTISSA_MASK = 0x007FFFFF;
    /** The exponent bits of 0.5f: or-ed onto a mantissa they give a value in [0.5, 1). */
    static final int HALF_EXPONENT_BITS = 0x3F000000;

    // ln(1+f) = f - f^2/2 + f^3 * Q(f) on sqrt(1/2)-1 <= f <= sqrt(2)-1; relative fit error 7.7e-10.
    static final float LOG_Q8 = 0.06750956f;
    static final float LOG_Q7 = -0.11671449f;
    static final float LOG_Q6 = 0.11883568f;
    static final float LOG_Q5 = -0.12406032f;
    static final float LOG_Q4 = 0.14220327f;
    static final float LOG_Q3 = -0.16667996f;
    static final float LOG_Q2 = 0.20002073f;
    static final float LOG_Q1 = -0.2500001f;
    static final float LOG_Q0 = 0.33333313f;

    /** Below it tanh uses its odd polynomial, above it 1 - 2 / (e^2|x| + 1). */
    static final float TANH_POLY_LIMIT = 0.625f;
    // tanh x = x + x^3 * Q(x^2) on |x| <= 0.625; relative fit error 4.5e-9.
    static final float TANH_Q4 = -0.005693382f;
    static final float TANH_Q3 = 0.020629002f;
    static final float TANH_Q2 = -0.053736717f;
    static final float TANH_Q1 = 0.13331407f;
    static final float TANH_Q0 = -0.3333328f;

    /** Below it erf uses its odd polynomial, above it 1 - erfc with erfc from the asymptotic-form fit. */
    static final float ERF_POLY_LIMIT = 1f;
    // erf x = x + x * Q(x^2) on |x| <= 1; relative fit error 1.4e-9.
    static final float ERF_Q6 = 7.806903e-05f;
    static final float ERF_Q5 = -0.0007997853f;
    static final float ERF_Q4 = 0.005187162f;
    static final float ERF_Q3 = -0.026853347f;
    static final float ERF_Q2 = 0.11283579f;
    static final float ERF_Q1 = -0.37612626f;
    static final float ERF_Q0 = 0.12837917f;

    /** The tail fit's variable is s = 1/y - ERFC_SHIFT, centred so that the coefficients stay small. */
    static final float ERFC_SHIFT = 0.55f;
    // erfc y = e^(-y^2) / y * R(1/y - 0.55) on 1 <= y <= 10; relative fit error 3.8e-8.
    static final float ERFC_R10 = -0.052010003f;
    static final float ERFC_R9 = -0.029637164f;
    static final float ERFC_R8 = 0.107647866f;
    static final float ERFC_R7 = -0.073831886f;
    static final float ERFC_R6 = 0.009306163f;
    static final float ERFC_R5 = 0.051035352f;
    static final float ERFC_R4 = -0.09689002f;
    static final float ERFC_R3 = 0.09831533f;
    static final float ERFC_R2 = -0.020366207f;
    static final float ERFC_R1 = -0.17003469f;
    static final float ERFC_R0 = 0.5023534f;

    /** erf is exactly 1f from |x| = 3.92 on; clamping |x| here keeps the tail's x^2 terms finite (no inf - inf). */
    static final float ERF_MAX_ABS = 10f;

    static final float INV_SQRT2 = 0.70710677f;
    /** GELU(x) underflows to -0 below -20 and equals x above 20; clamping |x| keeps infinities from giving NaN. */
    static final float GELU_MAX_ABS = 20f;
    static final int SIGN_MASK = 0x80000000;
}
