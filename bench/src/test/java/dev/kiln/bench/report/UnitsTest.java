package dev.kiln.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {
    @Test
    void siPrefixesWithThreeSignificantDigits() {
        assertEquals("1.23 mJ", Units.si(0.0012345, "J"));
        assertEquals("850 µs", Units.si(850e-6, "s"));
        assertEquals("1 ms", Units.si(999.9e-6, "s"));
        assertEquals("21 ms", Units.micros(21000, 3));
        assertEquals("10.05 ms", Units.micros(10050, 4));
        assertEquals("0 J", Units.si(0, "J"));
        assertEquals(Units.MISSING, Units.si(Double.NaN, "J"));
    }

    @Test
    void bytesRatiosAndFixedNumbers() {
        assertEquals("96 B", Units.bytes(96));
        assertEquals("12.0 MiB", Units.bytes(12L << 20));
        assertEquals(Units.MISSING, Units.bytes(-1));
        assertEquals("0.84×", Units.ratio(0.8421));
        assertEquals("12,345.7", Units.fixed(12345.67, 1));
        assertEquals("97.50 %", Units.percent(0.975));
        assertEquals(Units.MISSING, Units.percent(null));
    }
}
