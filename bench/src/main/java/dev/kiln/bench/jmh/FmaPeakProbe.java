package dev.kiln.bench.jmh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The machine's single-thread fused multiply-add peak, measured in the same JMH run as the kernels so their
 * GFLOP/s can be read as a fraction of it. Every call performs exactly {@link #FLOPS_PER_CALL} FLOP (a multiply-add
 * is 2) whatever the vector width: narrower vectors run more iterations. {@link #ACCUMULATORS} independent chains
 * cover the FMA latency times the number of FMA pipes (4 cycles × 2 pipes on current x86 cores), so the pipes, not
 * the dependency chains, are the limit. Each chain iterates {@code acc = acc·m + c} with {@code 0 < m < 1}, which
 * converges and so never overflows or goes subnormal.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class FmaPeakProbe {
    /** FLOP per call of either probe: 2^24. */
    public static final long FLOPS_PER_CALL = 1L << 24;
    public static final int ACCUMULATORS = 16;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Fields, not constants, so the JIT cannot fold the chains away. */
    public float multiplier = 0.999f;
    public float addend = 0.001f;

    @Benchmark
    public void vector(Blackhole bh) { bh.consume(vectorChains(vectorIterations(), multiplier, addend)); }

    @Benchmark
    public void scalar(Blackhole bh) { bh.consume(scalarChains(scalarIterations(), multiplier, addend)); }

    /** Iterations of the vector loop that make {@link #FLOPS_PER_CALL}: 2 FLOP per lane per accumulator. */
    public static int vectorIterations() { return (int) (FLOPS_PER_CALL / (2L * ACCUMULATORS * SPECIES.length())); }

    public static int scalarIterations() { return (int) (FLOPS_PER_CALL / (2L * ACCUMULATORS)); }

    /**
     * {@link #ACCUMULATORS} vector chains, chain {@code k} starting at {@code k}, each run {@code iterations} times
     * through {@code acc = fma(acc, m, c)}; returns the sum of every lane of every chain.
     */
    public static float vectorChains(int iterations, float m, float c) {
        FloatVector mv = FloatVector.broadcast(SPECIES, m), cv = FloatVector.broadcast(SPECIES, c);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0), a1 = FloatVector.broadcast(SPECIES, 1);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 2), a3 = FloatVector.broadcast(SPECIES, 3);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 4), a5 = FloatVector.broadcast(SPECIES, 5);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 6), a7 = FloatVector.broadcast(SPECIES, 7);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 8), a9 = FloatVector.broadcast(SPECIES, 9);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 10), a11 = FloatVector.broadcast(SPECIES, 11);
        FloatVector a12 = FloatVector.broadcast(SPECIES, 12), a13 = FloatVector.broadcast(SPECIES, 13);
        FloatVector a14 = FloatVector.broadcast(SPECIES, 14), a15 = FloatVector.broadcast(SPECIES, 15);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(mv, cv); a1 = a1.fma(mv, cv); a2 = a2.fma(mv, cv); a3 = a3.fma(mv, cv);
            a4 = a4.fma(mv, cv); a5 = a5.fma(mv, cv); a6 = a6.fma(mv, cv); a7 = a7.fma(mv, cv);
            a8 = a8.fma(mv, cv); a9 = a9.fma(mv, cv); a10 = a10.fma(mv, cv); a11 = a11.fma(mv, cv);
            a12 = a12.fma(mv, cv); a13 = a13.fma(mv, cv); a14 = a14.fma(mv, cv); a15 = a15.fma(mv, cv);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /** The scalar twin of {@link #vectorChains} with {@link Math#fma}: one lane per chain. */
    public static float scalarChains(int iterations, float m, float c) {
        float a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7;
        float a8 = 8, a9 = 9, a10 = 10, a11 = 11, a12 = 12, a13 = 13, a14 = 14, a15 = 15;
        for (int i = 0; i < iterations; i++) {
            a0 = Math.fma(a0, m, c); a1 = Math.fma(a1, m, c); a2 = Math.fma(a2, m, c); a3 = Math.fma(a3, m, c);
            a4 = Math.fma(a4, m, c); a5 = Math.fma(a5, m, c); a6 = Math.fma(a6, m, c); a7 = Math.fma(a7, m, c);
            a8 = Math.fma(a8, m, c); a9 = Math.fma(a9, m, c); a10 = Math.fma(a10, m, c); a11 = Math.fma(a11, m, c);
            a12 = Math.fma(a12, m, c); a13 = Math.fma(a13, m, c); a14 = Math.fma(a14, m, c); a15 = Math.fma(a15, m, c);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
    }

    /** Lanes of the preferred vector species, for tests that check {@link #vectorChains} against the closed form. */
    public static int lanes() { return SPECIES.length(); }
}
