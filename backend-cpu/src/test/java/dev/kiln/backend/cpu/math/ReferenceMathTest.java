package dev.kiln.backend.cpu.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Checks the erf / erfc reference itself against 30-digit mpmath values, on both sides of its series limit. */
class ReferenceMathTest {
    private static void assertRelative(double want, double got) {
        assertEquals(want, got, Math.abs(want) * 1e-12, () -> "want " + want + " got " + got);
    }

    @Test
    void erfMatchesMpmath() {
        assertRelative(0.0011283787909692363799, ReferenceMath.erf(1e-3));
        assertRelative(0.52049987781304653768, ReferenceMath.erf(0.5));
        assertRelative(0.84270079294971486934, ReferenceMath.erf(1));
        assertRelative(-0.96610514647531072707, ReferenceMath.erf(-1.5));
        assertRelative(0.99931148610335492143, ReferenceMath.erf(2.4));
        assertRelative(0.9997639655834706508, ReferenceMath.erf(2.6));
        assertRelative(0.99997790950300141456, ReferenceMath.erf(3));
        assertRelative(0.99999998458274209972, ReferenceMath.erf(4));
    }

    @Test
    void erfcMatchesMpmath() {
        assertRelative(0.47950012218695346232, ReferenceMath.erfc(0.5));
        assertRelative(0.00023603441652934920399, ReferenceMath.erfc(2.6));
        assertRelative(1.5374597944280348502e-12, ReferenceMath.erfc(5));
        assertRelative(4.1370317465138102381e-37, ReferenceMath.erfc(9));
        assertRelative(7.0359280901775226867e-50, ReferenceMath.erfc(10.5));
    }
}
