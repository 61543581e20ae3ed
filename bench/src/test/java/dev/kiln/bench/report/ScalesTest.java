package dev.kiln.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScalesTest {

    private static void assertTicks(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "ticks " + actual);
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), Math.abs(expected.get(i)) * 1e-12, "ticks " + actual);
    }

    @Test
    void linearTicksAreNiceNumbersCoveringTheRange() {
        LinearScale scale = LinearScale.nice(13, 87, 6);
        assertEquals(20, scale.step());
        assertTicks(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), scale.ticks());
        assertEquals(0, scale.fraction(0));
        assertEquals(0.5, scale.fraction(50));
    }

    @Test
    void linearTicksOfSmallAndLargeValues() {
        assertTicks(List.of(0.1, 0.2, 0.3, 0.4), LinearScale.nice(0.12, 0.38, 6).ticks());
        assertTicks(List.of(0.0, 0.2, 0.4), LinearScale.nice(0.12, 0.38, 4).ticks());
        assertTicks(List.of(800.0, 900.0, 1000.0, 1100.0, 1200.0, 1300.0), LinearScale.nice(805, 1260, 6).ticks());
    }

    @Test
    void aSingleValueGetsRoomAroundIt() {
        LinearScale scale = LinearScale.nice(100, 100, 5);
        assertEquals(true, scale.min() < 100 && scale.max() > 100, scale.toString());
        LinearScale zero = LinearScale.nice(0, 0, 5);
        assertEquals(true, zero.min() < 0 && zero.max() > 0, zero.toString());
    }

    @Test
    void tickDigitsTellNeighbouringTicksApart() {
        assertEquals(2, LinearScale.nice(805, 1260, 6).tickDigits()); // 800, 900 ... 1300: "1.3 k" needs 2
        assertEquals(4, new LinearScale(10000, 10050, 10).tickDigits()); // 10.01 k vs 10.02 k
        assertEquals(1, new LinearScale(0, 5, 1).tickDigits());
        assertEquals(2, LinearScale.nice(13, 87, 6).tickDigits()); // 0 .. 100 by 20
    }

    @Test
    void logTicksAtOneTwoFiveWithinThreeDecades() {
        LogScale scale = LogScale.nice(130, 7400);
        assertEquals(100, scale.min(), 1e-9);
        assertEquals(10000, scale.max(), 1e-9);
        assertTicks(List.of(100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0), scale.ticks());

        LogScale narrow = LogScale.nice(0.0023, 0.041);
        assertEquals(0.002, narrow.min(), 1e-15);
        assertEquals(0.05, narrow.max(), 1e-15);
        assertTicks(List.of(0.002, 0.005, 0.01, 0.02, 0.05), narrow.ticks());
        assertEquals(0.5, LogScale.nice(10, 1000).fraction(100), 1e-12);
    }

    @Test
    void logTicksAtPowersOfTenBeyondThreeDecades() {
        LogScale scale = LogScale.nice(3.5, 270000);
        assertEquals(1, scale.min(), 1e-12);
        assertEquals(1e6, scale.max(), 1e-3);
        assertTicks(List.of(1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6), scale.ticks());
    }

    @Test
    void exactPowersOfTenAreTheirOwnEnds() {
        LogScale scale = LogScale.nice(0.001, 1);
        assertEquals(0.001, scale.min(), 1e-18);
        assertEquals(1, scale.max(), 1e-12);
    }

    @Test
    void wideRangesOfPositiveValuesGetALogScale() {
        assertInstanceOf(LogScale.class, AxisScale.forValues(800, 21000));
        assertInstanceOf(LinearScale.class, AxisScale.forValues(800, 5000));
        assertInstanceOf(LinearScale.class, AxisScale.forValues(0, 5000));
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(IllegalArgumentException.class, () -> LogScale.nice(0, 10));
        assertThrows(IllegalArgumentException.class, () -> LinearScale.nice(5, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> LinearScale.nice(Double.NaN, 1, 5));
    }
}
