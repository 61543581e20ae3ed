package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyMeter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The measurement loop. The runners (already warm) take turns in rounds (A B A B …), so that drift
 * in the machine (frequency, a neighbour's load, heat) falls on all of them alike. Every inference is timed on its
 * own; heap allocation and, where a meter exists, energy are read around each round and charged to that round's runner.
 * Between turns the loop lets the machine settle: ONNX Runtime's intra-op workers keep spin-waiting for tens of
 * milliseconds after its inferences (its default), and without the pause they took one of this machine's two cores
 * from the next runner's round. The clock, the allocation counter and the pause are parameters so the loop can be
 * tested on synthetic timings.
 */
public final class AlternatingRounds {
    /** How one runner is measured: {@code perRound} inferences in each of the plan's rounds. */
    public record Turn(InferenceRunner runner, int perRound) {
        public Turn {
            if (perRound < 1) throw new IllegalArgumentException("a round needs at least one inference");
        }
    }

    /** What one runner's rounds measured, with each inference's latency in nanoseconds. */
    public record Tally(long[] nanos, long allocatedBytes, double joules, double busySeconds) {
        public long inferences() { return nanos.length; }

        public double allocBytesPerInference() { return allocatedBytes < 0 ? Double.NaN : (double) allocatedBytes / nanos.length; }
    }

    /** Called after every round with the rounds done and the total. */
    public interface Progress {
        void roundDone(int done, int total);
    }

    private final LongSupplier clock;
    private final LongSupplier allocatedBytes;
    private final EnergyMeter meter;
    private final Runnable settle;

    /**
     * @param allocatedBytes heap bytes allocated so far by the process's threads, or a negative value when the JVM
     *                       cannot count them
     * @param meter          an energy counter, or null when only the estimate is available
     * @param settle         run before each turn when several runners take turns, outside all measurement
     */
    public AlternatingRounds(LongSupplier clock, LongSupplier allocatedBytes, EnergyMeter meter, Runnable settle) {
        this.clock = clock;
        this.allocatedBytes = allocatedBytes;
        this.meter = meter;
        this.settle = settle;
    }

    /** A settle pause of {@code millis} on the wall clock. */
    public static Runnable sleeping(long millis) {
        return () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Measures {@code rounds} rounds of every turn, cycling through {@code feeds} prepared inputs. */
    public List<Tally> run(List<Turn> turns, int feeds, int rounds, Progress progress) {
        if (rounds < 1) throw new IllegalArgumentException("at least one round is needed");
        int n = turns.size();
        long[][] nanos = new long[n][];
        long[] alloc = new long[n];
        double[] joules = new double[n];
        double[] busy = new double[n];
        int[] next = new int[n];
        for (int t = 0; t < n; t++) nanos[t] = new long[turns.get(t).perRound() * rounds];
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < n; t++) {
                Turn turn = turns.get(t);
                if (n > 1) settle.run();
                double joulesBefore = meter == null ? 0 : meter.joules();
                long allocBefore = allocatedBytes.getAsLong();
                long roundStart = clock.getAsLong();
                for (int i = 0; i < turn.perRound(); i++) {
                    int k = next[t]++;
                    long start = clock.getAsLong();
                    turn.runner().infer(k % feeds);
                    nanos[t][k] = clock.getAsLong() - start;
                }
                busy[t] += (clock.getAsLong() - roundStart) / 1e9;
                long allocAfter = allocatedBytes.getAsLong();
                alloc[t] = allocBefore < 0 || allocAfter < 0 || alloc[t] < 0 ? -1 : alloc[t] + allocAfter - allocBefore;
                if (meter != null) joules[t] += meter.joules() - joulesBefore;
            }
            progress.roundDone(r + 1, rounds);
        }
        List<Tally> tallies = new ArrayList<>();
        for (int t = 0; t < n; t++) tallies.add(new Tally(nanos[t], alloc[t], meter == null ? Double.NaN : joules[t], busy[t]));
        return tallies;
    }
}
