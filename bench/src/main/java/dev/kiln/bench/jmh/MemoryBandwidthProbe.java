package dev.kiln.bench.jmh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Single-thread DRAM bandwidth, measured in the same JMH run as the kernels. The arrays hold {@code n} floats each
 * (16M: 64 MiB per array, several times any current last-level cache), so every call streams from memory.
 * {@link #triad}: STREAM's {@code a[i] = b[i] + s·c[i]}, counted as STREAM does, 12 bytes per element (read b and c,
 * write a; the hardware's write-allocate read of a is not counted). {@link #sum}: a read-only reduction, 4 bytes per
 * element. Both use the Vector API with several accumulators so neither the loop nor a dependency chain, only memory,
 * is the limit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MemoryBandwidthProbe {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Param({"16777216"})
    public int n;
    public float scale = 3f;
    float[] a;
    float[] b;
    float[] c;

    @Setup
    public void setup() {
        a = new float[n];
        b = Inputs.uniform(n, 10);
        c = Inputs.uniform(n, 11);
    }

    @Benchmark
    public void triad(Blackhole bh) {
        triad(a, b, c, scale);
        bh.consume(a);
    }

    @Benchmark
    public void sum(Blackhole bh) { bh.consume(sum(b)); }

    /** Bytes one call of {@code benchmark} ("triad" or "sum") moves over {@code n} floats, as documented above. */
    public static double bytes(String benchmark, double n) {
        return switch (benchmark) {
            case "triad" -> 12 * n;
            case "sum" -> 4 * n;
            default -> throw new IllegalArgumentException("no bandwidth probe '" + benchmark + "'");
        };
    }

    /** {@code a[i] = b[i] + s·c[i]}. */
    public static void triad(float[] a, float[] b, float[] c, float s) {
        int i = 0;
        for (int upper = SPECIES.loopBound(a.length); i < upper; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, c, i).mul(s).add(FloatVector.fromArray(SPECIES, b, i)).intoArray(a, i);
        }
        for (; i < a.length; i++) a[i] = b[i] + s * c[i];
    }

    /** The sum of {@code x}, in four vector accumulators so the adds' latency does not hold back the loads. */
    public static float sum(float[] x) {
        int step = SPECIES.length() * 4, i = 0;
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        for (int upper = x.length - x.length % step; i < upper; i += step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, x, i + SPECIES.length()));
            s2 = s2.add(FloatVector.fromArray(SPECIES, x, i + 2 * SPECIES.length()));
            s3 = s3.add(FloatVector.fromArray(SPECIES, x, i + 3 * SPECIES.length()));
        }
        float total = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < x.length; i++) total += x[i];
        return total;
    }
}
