package dev.kiln.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParetoFrontierTest {
    private record P(String name, double latency, double energy) {}

    private static List<String> frontier(P... points) {
        return ParetoFrontier.of(List.of(points), P::latency, P::energy).stream().map(P::name).toList();
    }

    @Test
    void keepsTheNonDominatedPointsSortedByLatency() {
        assertEquals(List.of("fast", "balanced", "frugal"), frontier(
                new P("frugal", 30, 1), new P("dominated", 25, 5), new P("fast", 10, 9), new P("balanced", 20, 4),
                new P("worst", 40, 10)));
    }

    @Test
    void aPointBeatenOnOneCostAndTiedOnTheOtherIsDominated() {
        assertEquals(List.of("a"), frontier(new P("sameEnergySlower", 20, 5), new P("a", 10, 5), new P("sameLatencyCostlier", 10, 6)));
    }

    @Test
    void identicalPointsAreAllOnTheFrontier() {
        assertEquals(List.of("a", "b", "c"), frontier(new P("a", 10, 5), new P("b", 10, 5), new P("c", 12, 1)));
    }

    @Test
    void oneOrNoPoints() {
        assertEquals(List.of("only"), frontier(new P("only", 3, 3)));
        assertEquals(List.of(), frontier());
    }

    @Test
    void aSingleBestPointDominatesAllOthers() {
        assertEquals(List.of("best"), frontier(new P("x", 5, 5), new P("best", 1, 1), new P("y", 2, 8), new P("z", 9, 2)));
    }

    @Test
    void rejectsNonFiniteCosts() {
        assertThrows(IllegalArgumentException.class, () -> frontier(new P("nan", Double.NaN, 1)));
    }
}
