package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyFigure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTest {
    @Test
    void durationsAndEnergiesParseWithUnits() {
        assertEquals(5000, Budget.parseMicros("5ms"));
        assertEquals(250, Budget.parseMicros("250us"));
        assertEquals(250, Budget.parseMicros("250µs"));
        assertEquals(1.5e6, Budget.parseMicros("1.5s"));
        assertEquals(2e6, Budget.parseMicros("2"));
        assertEquals(0.5, Budget.parseMicros("500ns"));
        assertEquals(0.002, Budget.parseJoules("2mJ"), 1e-15);
        assertEquals(1.5e-4, Budget.parseJoules("150uJ"), 1e-15);
        assertEquals(0.01, Budget.parseJoules("0.01"));
        assertThrows(IllegalArgumentException.class, () -> Budget.parseMicros("fast"));
        assertThrows(IllegalArgumentException.class, () -> Budget.parseJoules("3 W"));
    }

    @Test
    void aResultOverEitherLimitIsReportedAndOneWithinIsNot() {
        BenchResult r = result(new long[] {1_000_000, 2_000_000, 9_000_000}, new EnergyFigure(0.003, 3, 3e-6, "estimate"));
        assertTrue(new Budget(10_000, 0.01).violations(r).isEmpty());
        var p99 = new Budget(5_000, Double.NaN).violations(r);
        assertEquals(1, p99.size());
        assertTrue(p99.getFirst().contains("p99 8860.0 µs exceeds the budget of 5000.0 µs"), p99.getFirst());
        var energy = new Budget(Double.NaN, 0.001).violations(r);
        assertTrue(energy.getFirst().contains("exceeds the budget") && energy.getFirst().contains("estimate"), energy.getFirst());
        assertEquals(2, new Budget(5_000, 0.001).violations(r).size());
        assertTrue(Budget.NONE.violations(r).isEmpty());
        assertTrue(new Budget(Double.NaN, 1).violations(result(new long[] {1}, null)).getFirst().contains("no energy figure"));
    }

    static BenchResult result(long[] nanos, EnergyFigure energy) {
        return new BenchResult("kiln", "m.onnx", "ref", 1, 1, "fp32", "O2", LatencyStats.ofNanos(nanos), 1, 1, 1, 0, 0, 0, 0, -1,
                energy, null, null);
    }
}
