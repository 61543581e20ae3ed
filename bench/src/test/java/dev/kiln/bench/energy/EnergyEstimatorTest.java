package dev.kiln.bench.energy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Energies worked out by hand from a round-number profile. */
class EnergyEstimatorTest {
    /** 1 pJ/FLOP, 0.1 pJ/INT8 op, 0.5 pJ/cache byte, 10 pJ/DRAM byte, 0.25 pJ overhead/op, 2 W static. */
    private static DeviceEnergyProfile profile(long llcBytes) {
        return new DeviceEnergyProfile("test", 7, 1, 0.1, 0.5, 10, 0.25, 2, llcBytes);
    }

    /** GraphCostTest's Conv: 14080 FLOPs, 1216 bytes read (448 of weights), 1024 written. */
    private static final NodeCost CONV = new NodeCost("conv", "Conv", 14080, false, 1216, 1024, 448);
    /** A quantized op: 1000 INT8 operations, 100 bytes in (40 weights), 50 out. */
    private static final NodeCost QCONV = new NodeCost("q", "QLinearConv", 1000, true, 100, 50, 40);

    @Test
    void footprintOverTheCacheSpillsWeightsAndLargeNodesToDram() {
        GraphCost cost = new GraphCost(List.of(CONV), 2240);
        // DRAM: weights 448 + the conv's activations (1216 - 448 + 1024 = 1792, its 2240 bytes exceed 1000) = 2240.
        assertEquals(2240, EnergyEstimator.dramBytes(cost, 1000));
        EnergyBreakdown b = EnergyEstimator.breakdown(cost, profile(1000), 1e-3);
        assertEquals(14080e-12, b.arithmeticJ(), 1e-20);
        assertEquals(3520e-12, b.overheadJ(), 1e-20);      // 14080 × 0.25
        assertEquals(1120e-12, b.cacheJ(), 1e-20);         // 2240 × 0.5
        assertEquals(22400e-12, b.dramJ(), 1e-20);         // 2240 × 10
        assertEquals(2e-3, b.staticJ(), 1e-15);            // 2 W × 1 ms
        assertEquals(41120e-12 + 2e-3, b.totalJ(), 1e-15);

        EnergyFigure f = EnergyEstimator.estimate(cost, profile(1000), 1e-3);
        assertEquals("estimate", f.source());
        assertTrue(f.isEstimate());
        assertEquals(41120e-12 + 2e-3, f.joulesPerInference(), 1e-15);
        assertEquals((41120e-12 + 2e-3) / 1e-3, f.averageWatts(), 1e-9);
        assertEquals((41120e-12 + 2e-3) * 1e-3, f.energyDelayProduct(), 1e-18);
    }

    @Test
    void aFootprintThatFitsStaysOnChipAndInt8IsPricedApart() {
        GraphCost cost = new GraphCost(List.of(CONV, QCONV), 2240 + 150);
        assertEquals(14080, cost.flops());
        assertEquals(1000, cost.int8Ops());
        assertEquals(0, EnergyEstimator.dramBytes(cost, 1 << 20));
        EnergyBreakdown b = EnergyEstimator.breakdown(cost, profile(1 << 20), 1e-3);
        assertEquals((14080 + 100) * 1e-12, b.arithmeticJ(), 1e-20);   // 14080 × 1 + 1000 × 0.1
        assertEquals(15080 * 0.25e-12, b.overheadJ(), 1e-20);
        assertEquals((2240 + 150) * 0.5e-12, b.cacheJ(), 1e-20);
        assertEquals(0, b.dramJ());
    }

    @Test
    void smallNodesOfALargeGraphKeepTheirActivationsInCache() {
        // Footprint over the cache, but QCONV's own 150 bytes fit: only the weights (448 + 40) and CONV's 1792 go to DRAM.
        GraphCost cost = new GraphCost(List.of(CONV, QCONV), 2390);
        assertEquals(448 + 40 + 1792, EnergyEstimator.dramBytes(cost, 1000));
    }

    @Test
    void rejectsANonPositiveTime() {
        GraphCost cost = new GraphCost(List.of(CONV), 2240);
        assertThrows(IllegalArgumentException.class, () -> EnergyEstimator.estimate(cost, profile(1000), 0));
    }
}
