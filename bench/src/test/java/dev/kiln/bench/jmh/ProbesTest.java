package dev.kiln.bench.jmh;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probes compute what they claim, and do the documented amount of work per call. Never timed. */
class ProbesTest {
    private static final float M = 0.999f, C = 0.001f;

    /** Chain k after n steps of acc = acc·m + c from k, summed over the 16 chains: the geometric series' closed form. */
    private static double chainsClosedForm(int n, int lanesPerChain) {
        double mn = Math.pow(M, n), fixedPoint = C / (1 - (double) M), total = 0;
        for (int k = 0; k < FmaPeakProbe.ACCUMULATORS; k++) total += mn * k + fixedPoint * (1 - mn);
        return total * lanesPerChain;
    }

    @Test
    void fmaChainsFollowTheClosedForm() {
        for (int n : new int[] {0, 1, 1000, FmaPeakProbe.vectorIterations()}) {
            double want = chainsClosedForm(n, FmaPeakProbe.lanes());
            assertEquals(want, FmaPeakProbe.vectorChains(n, M, C), 1e-4 * want, "vector, " + n + " iterations");
        }
        for (int n : new int[] {0, 1, 1000, FmaPeakProbe.scalarIterations()}) {
            double want = chainsClosedForm(n, 1);
            assertEquals(want, FmaPeakProbe.scalarChains(n, M, C), 1e-4 * want, "scalar, " + n + " iterations");
        }
    }

    @Test
    void everyFmaCallDoesTheDocumentedFlops() {
        long perVectorIteration = 2L * FmaPeakProbe.ACCUMULATORS * FmaPeakProbe.lanes();
        assertEquals(FmaPeakProbe.FLOPS_PER_CALL, FmaPeakProbe.vectorIterations() * perVectorIteration);
        assertEquals(FmaPeakProbe.FLOPS_PER_CALL, FmaPeakProbe.scalarIterations() * 2L * FmaPeakProbe.ACCUMULATORS);
    }

    @Test
    void triadAndSumAreRightIncludingTheTail() {
        int n = 5 * FmaPeakProbe.lanes() * 4 + 7; // whole vector blocks and a scalar tail
        float[] b = Inputs.uniform(n, 1), c = Inputs.uniform(n, 2), a = new float[n], want = new float[n];
        for (int i = 0; i < n; i++) want[i] = b[i] + 3f * c[i];
        MemoryBandwidthProbe.triad(a, b, c, 3f);
        assertArrayEquals(want, a);
        double sum = 0;
        for (float x : b) sum += x;
        assertEquals(sum, MemoryBandwidthProbe.sum(b), 1e-4);
    }

    @Test
    void bandwidthProbesCountStreamBytes() {
        assertEquals(12.0 * 1000, MemoryBandwidthProbe.bytes("triad", 1000));
        assertEquals(4.0 * 1000, MemoryBandwidthProbe.bytes("sum", 1000));
    }
}
