package dev.kiln.backend.cpu.math;

import static dev.kiln.backend.cpu.math.MathConstants.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vectorized float math on {@link FloatVector}s of any species: range reduction plus polynomials fitted for Kiln
 * (see {@link MathConstants}), with IEEE special values handled (NaN propagates, ±inf and ±0 give the limits, -0
 * keeps its sign for the odd functions, denormal inputs take the same code path, denormal results round once).
 * {@link ScalarMath} holds the bit-identical scalar twins.
 *
 * <p>Maximum errors against the double-precision reference ({@code StrictMath} where it has the function; for erf
 * and GELU a positive-term series / continued fraction in double), measured over every 257th finite float of both
 * signs by bit pattern (16.6 million inputs, denormals and zeros included) plus every float (or a million evenly
 * spaced ones) in windows around each function's branch points and thresholds, at SPECIES_128 and SPECIES_512, and
 * asserted by {@code VectorMathAccuracyTest}. "ulp" is the float ulp of the correctly rounded result (denormal
 * results included); the relative error is over normal results.
 * <table>
 *   <caption>Measured maximum error (bound asserted by the tests)</caption>
 *   <tr><th>function</th><th>max ulp</th><th>max relative error</th><th>worst input</th></tr>
 *   <tr><td>exp</td><td>0.967 (1)</td><td>8.1e-8</td><td>80.7567</td></tr>
 *   <tr><td>log</td><td>0.800 (1)</td><td>7.9e-8</td><td>1.39713</td></tr>
 *   <tr><td>tanh</td><td>1.322 (1.5)</td><td>1.4e-7</td><td>0.627549 (the exp branch)</td></tr>
 *   <tr><td>sigmoid</td><td>2.310 (2.5)</td><td>1.7e-7</td><td>-5.54455</td></tr>
 *   <tr><td>erf</td><td>1.052 (1.5)</td><td>7.4e-8</td><td>-1.01946</td></tr>
 *   <tr><td>gelu</td><td>6.758 (7)</td><td>4.3e-7</td><td>-1.36322 (1 - erf cancellation for -√2 &lt; x &lt; 0)</td></tr>
 *   <tr><td>softplus</td><td>2.668 (3)</td><td>2.2e-7</td><td>-4.42651</td></tr>
 * </table>
 * All lie far inside the ONNX conformance tolerance |got - want| &lt;= 1e-7 + 1e-3 |want|, which the tests also
 * check input by input.
 *
 * <p>Inlining: vectors stay in registers only where C2 inlines all of a function into the calling loop; a call it
 * does not inline boxes every vector passed or returned (hundreds of bytes per vector, several times slower). Two C2
 * limits decide it: a hot callee has at most 325 bytecodes (FreqInlineSize), and once a compilation passes
 * NodeCountInliningCutoff (18000 nodes, about one exp's worth of Vector API code) C2 inlines only the Vector API's
 * own {@code @ForceInline} methods. So every function here stays under 325 bytecodes and calls its helpers (exp,
 * the small erf polynomial, log's reduction) first, before any heavy code, writing out what comes after them
 * (softplus carries its own ln u for u in [1, 2] for that reason); and a caller must not call anything of its own
 * after one of them in the same loop (see {@code UnaryMathKernel}). Measured so, all seven functions run without
 * allocating inside a kernel loop.
 */
public final class VectorMath {
    private VectorMath() {}

    /** e^x; +inf above 88.72, +0 below -103.97, denormal results rounded once. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN_ARG).min(EXP_MAX_ARG);
        FloatVector t = xc.fma(x.broadcast(LOG2_E), x.broadcast(ROUND_MAGIC));
        IntVector n = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        FloatVector nf = t.sub(ROUND_MAGIC);
        FloatVector r = nf.fma(x.broadcast(-LN2_HI), xc);
        r = nf.fma(x.broadcast(-LN2_LO), r);
        FloatVector p = x.broadcast(EXP_Q5).fma(r, x.broadcast(EXP_Q4));
        p = p.fma(r, x.broadcast(EXP_Q3));
        p = p.fma(r, x.broadcast(EXP_Q2));
        p = p.fma(r, x.broadcast(EXP_Q1));
        p = p.fma(r, x.broadcast(EXP_Q0));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n in two factors: n reaches -150 and 128, beyond a single float exponent, and the product rounds once.
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** Natural logarithm; -inf at ±0, NaN below 0, denormal inputs normalized first. */
    public static FloatVector log(FloatVector x) {
        // Reduction in two helpers, both called before any heavy code (see the class comment); they repeat the
        // scaling and masks, which C2 computes once after inlining.
        FloatVector f = logReduced(x);
        FloatVector e = logExponent(x);
        FloatVector q = x.broadcast(LOG_Q8).fma(f, x.broadcast(LOG_Q7)).fma(f, x.broadcast(LOG_Q6))
                .fma(f, x.broadcast(LOG_Q5)).fma(f, x.broadcast(LOG_Q4)).fma(f, x.broadcast(LOG_Q3))
                .fma(f, x.broadcast(LOG_Q2)).fma(f, x.broadcast(LOG_Q1)).fma(f, x.broadcast(LOG_Q0));
        FloatVector z = f.mul(f);
        FloatVector y = f.mul(z).mul(q);
        y = e.fma(x.broadcast(LN2_LO), y);
        y = x.broadcast(-0.5f).fma(z, y);
        FloatVector r = e.fma(x.broadcast(LN2_HI), f.add(y));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.compare(VectorOperators.GE, 0f).not());
    }

    /** f = m - 1 for x = m * 2^e with m in [√½, √2); denormals scaled by 2^23 first. */
    static FloatVector logReduced(FloatVector x) {
        FloatVector xs = x.blend(x.mul(TWO_POW_23), x.compare(VectorOperators.LT, MIN_NORMAL));
        FloatVector m = xs.reinterpretAsInts().and(MANTISSA_MASK).or(HALF_EXPONENT_BITS).reinterpretAsFloats();
        return m.sub(1f).blend(m.add(m).sub(1f), m.compare(VectorOperators.LT, SQRT_HALF));
    }

    /** The exponent e matching {@link #logReduced}, as a float. */
    static FloatVector logExponent(FloatVector x) {
        VectorMask<Float> denormal = x.compare(VectorOperators.LT, MIN_NORMAL);
        IntVector bits = x.blend(x.mul(TWO_POW_23), denormal).reinterpretAsInts();
        FloatVector m = bits.and(MANTISSA_MASK).or(HALF_EXPONENT_BITS).reinterpretAsFloats();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0);
        e = e.blend(e.sub(23f), denormal);
        return e.blend(e.sub(1f), m.compare(VectorOperators.LT, SQRT_HALF));
    }

    /** Hyperbolic tangent; odd polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above, exactly ±1 from 9.01. */
    public static FloatVector tanh(FloatVector x) {
        // Both branches on |x|, sign restored last: x + x^3 Q would turn -0 into +0.
        FloatVector a = x.abs();
        FloatVector e = exp(a.add(a));
        FloatVector z = a.mul(a);
        FloatVector q = x.broadcast(TANH_Q4).fma(z, x.broadcast(TANH_Q3)).fma(z, x.broadcast(TANH_Q2))
                .fma(z, x.broadcast(TANH_Q1)).fma(z, x.broadcast(TANH_Q0));
        FloatVector small = a.mul(z).fma(q, a);
        FloatVector one = x.broadcast(1f);
        FloatVector large = one.sub(x.broadcast(2f).div(e.add(one)));
        FloatVector magnitude = large.blend(small, a.compare(VectorOperators.LT, TANH_POLY_LIMIT));
        return magnitude.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_MASK)).reinterpretAsFloats();
    }

    /** Logistic sigmoid 1 / (1 + e^-x), as e^x / (1 + e^x) for negative x so that it never overflows. */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector one = x.broadcast(1f);
        FloatVector numerator = e.blend(one, x.compare(VectorOperators.GE, 0f));
        return numerator.div(one.add(e));
    }

    /** Error function; odd polynomial below |x| = 1, 1 - erfc above (exactly ±1 from 3.92). */
    public static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs().min(ERF_MAX_ABS);
        FloatVector z = a.mul(a);
        FloatVector e = exp(z.neg());
        e = e.fma(a.fma(a, z.neg()).neg(), e);
        FloatVector q = x.broadcast(ERF_Q6).fma(z, x.broadcast(ERF_Q5)).fma(z, x.broadcast(ERF_Q4))
                .fma(z, x.broadcast(ERF_Q3)).fma(z, x.broadcast(ERF_Q2)).fma(z, x.broadcast(ERF_Q1))
                .fma(z, x.broadcast(ERF_Q0));
        FloatVector small = a.fma(q, a);
        FloatVector t = x.broadcast(1f).div(a);
        FloatVector s = t.sub(ERFC_SHIFT);
        FloatVector r = x.broadcast(ERFC_R10).fma(s, x.broadcast(ERFC_R9)).fma(s, x.broadcast(ERFC_R8))
                .fma(s, x.broadcast(ERFC_R7)).fma(s, x.broadcast(ERFC_R6)).fma(s, x.broadcast(ERFC_R5))
                .fma(s, x.broadcast(ERFC_R4)).fma(s, x.broadcast(ERFC_R3)).fma(s, x.broadcast(ERFC_R2))
                .fma(s, x.broadcast(ERFC_R1)).fma(s, x.broadcast(ERFC_R0));
        FloatVector large = x.broadcast(1f).sub(e.mul(t.mul(r)));
        FloatVector magnitude = large.blend(small, a.compare(VectorOperators.LT, ERF_POLY_LIMIT));
        return magnitude.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_MASK)).reinterpretAsFloats();
    }

    /**
     * GELU x * Φ(x) = x/2 * erfc(-x/√2), exact form. For negative x straight from erfc (no cancellation), with
     * e^(-x²/2) multiplied last so that no intermediate goes denormal before the result does.
     */
    public static FloatVector gelu(FloatVector x) {
        // Order matters (see the class comment): the small polynomial's helper, then exp, then only Vector API code.
        FloatVector a = x.abs().min(GELU_MAX_ABS);
        FloatVector y = a.mul(INV_SQRT2);
        FloatVector one = x.broadcast(1f);
        FloatVector halfSmall = one.sub(erfSmall(y, y.mul(y))).mul(0.5f);
        FloatVector aa = a.mul(a);
        FloatVector e = exp(aa.mul(-0.5f));
        e = e.fma(a.fma(a, aa.neg()).mul(-0.5f), e);
        FloatVector t = one.div(y);
        FloatVector s = t.sub(ERFC_SHIFT);
        FloatVector tr = t.mul(x.broadcast(ERFC_R10).fma(s, x.broadcast(ERFC_R9)).fma(s, x.broadcast(ERFC_R8))
                .fma(s, x.broadcast(ERFC_R7)).fma(s, x.broadcast(ERFC_R6)).fma(s, x.broadcast(ERFC_R5))
                .fma(s, x.broadcast(ERFC_R4)).fma(s, x.broadcast(ERFC_R3)).fma(s, x.broadcast(ERFC_R2))
                .fma(s, x.broadcast(ERFC_R1)).fma(s, x.broadcast(ERFC_R0)));
        VectorMask<Float> small = y.compare(VectorOperators.LT, ERF_POLY_LIMIT);
        FloatVector half = e.mul(tr).mul(0.5f).blend(halfSmall, small);
        FloatVector xc = x.max(-GELU_MAX_ABS);
        FloatVector negative = e.mul(tr.mul(xc).mul(0.5f)).blend(xc.mul(halfSmall), small);
        return negative.blend(x.mul(one.sub(half)), x.compare(VectorOperators.GE, 0f));
    }

    /** Softplus ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), the last term through an accurate log1p. */
    public static FloatVector softplus(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector one = x.broadcast(1f);
        FloatVector u = one.add(e);
        // ln u for u in [1, 2], written out (a call to log after exp would not be inlined, see the class
        // comment): the same reduction log makes there, m = u/2 with exponent 1, or 2m with exponent 0.
        FloatVector m = u.mul(0.5f);
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector f = m.sub(1f).blend(m.add(m).sub(1f), low);
        FloatVector k = one.blend(0f, low);
        FloatVector q = x.broadcast(LOG_Q8).fma(f, x.broadcast(LOG_Q7)).fma(f, x.broadcast(LOG_Q6))
                .fma(f, x.broadcast(LOG_Q5)).fma(f, x.broadcast(LOG_Q4)).fma(f, x.broadcast(LOG_Q3))
                .fma(f, x.broadcast(LOG_Q2)).fma(f, x.broadcast(LOG_Q1)).fma(f, x.broadcast(LOG_Q0));
        FloatVector z = f.mul(f);
        FloatVector y = k.fma(x.broadcast(LN2_LO), f.mul(z).mul(q));
        y = x.broadcast(-0.5f).fma(z, y);
        FloatVector logU = k.fma(x.broadcast(LN2_HI), f.add(y));
        FloatVector log1p = logU.mul(e.div(u.sub(one))).blend(e, u.compare(VectorOperators.EQ, 1f));
        return x.max(0f).add(log1p);
    }

    /** erf(a) = a + a * Q(a^2) for 0 <= a <= 1, given z = a^2. */
    static FloatVector erfSmall(FloatVector a, FloatVector z) {
        FloatVector q = a.broadcast(ERF_Q6).fma(z, a.broadcast(ERF_Q5));
        q = q.fma(z, a.broadcast(ERF_Q4));
        q = q.fma(z, a.broadcast(ERF_Q3));
        q = q.fma(z, a.broadcast(ERF_Q2));
        q = q.fma(z, a.broadcast(ERF_Q1));
        q = q.fma(z, a.broadcast(ERF_Q0));
        return a.fma(q, a);
    }
}
