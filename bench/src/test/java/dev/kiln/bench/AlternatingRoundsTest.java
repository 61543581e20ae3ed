package dev.kiln.bench;

import dev.kiln.bench.AlternatingRounds.Tally;
import dev.kiln.bench.AlternatingRounds.Turn;
import dev.kiln.bench.energy.EnergyMeter;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The measurement loop on a synthetic clock: each fake runner advances time and allocation by set amounts. */
class AlternatingRoundsTest {
    private long now;
    private long allocated;
    private double joules;
    private final List<String> calls = new ArrayList<>();

    /** A runner whose inference takes {@code nanos[i % n]} of synthetic time, allocates and spends energy at set rates. */
    private class Scripted implements InferenceRunner {
        final String name;
        final long[] nanos;
        final long bytes;
        final double watts;
        int count;

        Scripted(String name, long bytes, double watts, long... nanos) {
            this.name = name;
            this.nanos = nanos;
            this.bytes = bytes;
            this.watts = watts;
        }

        @Override public String runtime() { return name; }
        @Override public double compileMillis() { return 0; }
        @Override public Map<String, Tensor> outputs(int feed) { return Map.of(); }
        @Override public void close() {}

        @Override
        public void infer(int feed) {
            calls.add(name + feed);
            long t = nanos[count++ % nanos.length];
            now += t;
            allocated += bytes;
            joules += watts * t / 1e9;
        }
    }

    private final EnergyMeter meter = new EnergyMeter() {
        @Override public String source() { return "test"; }
        @Override public double joules() { return joules; }
    };

    @Test
    void runnersTakeTurnsRoundByRoundAndEachIsChargedItsOwnTimeAllocationAndEnergy() {
        Scripted a = new Scripted("A", 64, 10, 1000, 3000);
        Scripted b = new Scripted("B", 0, 50, 2000);
        AlternatingRounds rounds = new AlternatingRounds(() -> now, () -> allocated, meter, () -> calls.add("settle"));
        List<int[]> progress = new ArrayList<>();
        List<Tally> tallies = rounds.run(List.of(new Turn(a, 2), new Turn(b, 1)), 3, 3, (done, total) -> progress.add(new int[] {done, total}));

        assertEquals(List.of("settle", "A0", "A1", "settle", "B0", "settle", "A2", "A0", "settle", "B1", "settle", "A1", "A2", "settle", "B2"), calls);
        assertArrayEquals(new long[] {1000, 3000, 1000, 3000, 1000, 3000}, tallies.get(0).nanos());
        assertArrayEquals(new long[] {2000, 2000, 2000}, tallies.get(1).nanos());
        assertEquals(64, tallies.get(0).allocBytesPerInference());
        assertEquals(0, tallies.get(1).allocBytesPerInference());
        assertEquals(12e-6, tallies.get(0).busySeconds(), 1e-15);
        assertEquals(10 * 12e-6, tallies.get(0).joules(), 1e-12);
        assertEquals(50 * 6e-6, tallies.get(1).joules(), 1e-12);
        assertEquals(3, progress.size());
        assertArrayEquals(new int[] {3, 3}, progress.getLast());
    }

    @Test
    void anUncountableAllocationStaysUnknownAndNoMeterMeansNoJoules() {
        Scripted a = new Scripted("A", 8, 1, 500);
        Tally t = new AlternatingRounds(() -> now, () -> -1, null, () -> fail("one runner needs no settling")).run(List.of(new Turn(a, 4)), 1, 2, (d, n) -> {}).getFirst();
        assertEquals(8, t.inferences());
        assertTrue(Double.isNaN(t.allocBytesPerInference()));
        assertTrue(Double.isNaN(t.joules()));
    }

    @Test
    void theRealAllocationCounterSeesAnAllocatingRunnerAndNotAQuietOne() {
        List<byte[]> sink = new ArrayList<>();
        InferenceRunner allocating = new Scripted("alloc", 0, 0, 1) {
            @Override public void infer(int feed) { sink.add(new byte[1 << 16]); if (sink.size() > 8) sink.clear(); }
        };
        InferenceRunner quiet = new Scripted("quiet", 0, 0, 1) {
            long x;
            @Override public void infer(int feed) { x += feed; }
        };
        List<Tally> t = new AlternatingRounds(System::nanoTime, AllocationCounter::totalAllocatedBytes, null, () -> {})
                .run(List.of(new Turn(allocating, 50), new Turn(quiet, 50)), 1, 4, (d, n) -> {});
        assertTrue(t.get(0).allocBytesPerInference() >= 1 << 16, "counted " + t.get(0).allocBytesPerInference());
        // Other JVM threads may allocate a little meanwhile; a quiet runner stays far below one 64 KiB array per call.
        assertTrue(t.get(1).allocBytesPerInference() < 1 << 12, "counted " + t.get(1).allocBytesPerInference());
    }
}
