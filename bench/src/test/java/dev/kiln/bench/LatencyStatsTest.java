package dev.kiln.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyStatsTest {
    @Test
    void percentilesInterpolateBetweenRanksLikeNumpy() {
        long[] sorted = {10, 20, 30, 40, 50};
        assertEquals(10, LatencyStats.percentile(sorted, 0));
        assertEquals(30, LatencyStats.percentile(sorted, 50));
        assertEquals(46, LatencyStats.percentile(sorted, 90), 1e-9); // rank 3.6: 40 + 0.6 * 10
        assertEquals(49.6, LatencyStats.percentile(sorted, 99), 1e-9);
        assertEquals(50, LatencyStats.percentile(sorted, 100));
    }

    @Test
    void summaryOfUnsortedNanosInMicroseconds() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) nanos[i] = (long) ((nanos.length - i) * 1000); // 1000 µs down to 1 µs
        LatencyStats s = LatencyStats.ofNanos(nanos);
        assertEquals(1000, s.count());
        assertEquals(1, s.minUs(), 1e-9);
        assertEquals(1000, s.maxUs(), 1e-9);
        assertEquals(500.5, s.meanUs(), 1e-9);
        assertEquals(500.5, s.p50Us(), 1e-9);
        assertEquals(900.1, s.p90Us(), 1e-9);
        assertEquals(990.01, s.p99Us(), 1e-9);
        assertEquals(999.001, s.p999Us(), 1e-9);
        assertEquals(2 * 1e6 / 500.5, s.throughputPerSecond(2), 1e-9);
    }

    @Test
    void oneSampleIsEveryPercentileAndNoneIsAnError() {
        LatencyStats s = LatencyStats.ofNanos(new long[] {7000});
        assertEquals(7, s.p999Us());
        assertEquals(7, s.minUs());
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.ofNanos(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new long[] {1}, 101));
    }
}
