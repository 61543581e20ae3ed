package dev.kiln.bench.jmh;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU backend's FP32 GEMM at 512×512×512 ({@link #FLOPS} FLOP a call; GFLOP/s = FLOPS / time): one thread, two
 * threads, the 256-bit micro-kernel for comparison, a scalar triple loop as the baseline, and the single-thread
 * FMA peak measured in the same run ({@link #FMA_FLOPS} FLOP a call), so the GEMM can be read as a fraction of what
 * the core can do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CpuGemmBenchmark {
    public static final int SIZE = 512;
    public static final long FLOPS = 2L * SIZE * SIZE * SIZE;
    /** FLOP per call of a peak probe, whatever the vector width. */
    public static final long FMA_FLOPS = 1L << 24;
    private static final int CHAINS = 16;
    private static final VectorSpecies<Float> PEAK_SPECIES = FloatVector.SPECIES_256;

    private WorkerPool onePool, twoPool;
    private Gemm one, two, narrow;
    private PackedMatrix packed, packedNarrow;
    private MemorySegment a, c;
    private float[] aArray, bArray, cArray;
    private Arena arena;
    /** Fields, so the JIT cannot fold the FMA chains. */
    public float multiplier = 0.999f, addend = 0.001f;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        onePool = new WorkerPool(1);
        twoPool = new WorkerPool(2);
        one = new Gemm(onePool);
        two = new Gemm(twoPool);
        narrow = new Gemm(FloatVector.SPECIES_256, onePool);
        aArray = random(1);
        bArray = random(2);
        cArray = new float[SIZE * SIZE];
        a = arena.allocate((long) SIZE * SIZE * 4, 64).copyFrom(MemorySegment.ofArray(aArray));
        MemorySegment b = arena.allocate((long) SIZE * SIZE * 4, 64).copyFrom(MemorySegment.ofArray(bArray));
        c = arena.allocate((long) SIZE * SIZE * 4, 64);
        packed = one.packB(arena, b, 0, SIZE, false, SIZE, SIZE);
        packedNarrow = narrow.packB(arena, b, 0, SIZE, false, SIZE, SIZE);
    }

    @TearDown
    public void tearDown() {
        onePool.close();
        twoPool.close();
        arena.close();
    }

    private static float[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[SIZE * SIZE];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    @Benchmark
    public MemorySegment gemm1Thread() {
        one.multiply(SIZE, a, 0, SIZE, false, packed, c, 0, SIZE, false, null);
        return c;
    }

    @Benchmark
    public MemorySegment gemm2Threads() {
        two.multiply(SIZE, a, 0, SIZE, false, packed, c, 0, SIZE, false, null);
        return c;
    }

    @Benchmark
    public MemorySegment gemm1Thread256Bit() {
        narrow.multiply(SIZE, a, 0, SIZE, false, packedNarrow, c, 0, SIZE, false, null);
        return c;
    }

    /** The baseline: a dot product per element of C, one float at a time. */
    @Benchmark
    public float[] scalarTripleLoop() {
        float[] x = aArray, y = bArray, z = cArray;
        for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
                float sum = 0;
                for (int p = 0; p < SIZE; p++) sum += x[i * SIZE + p] * y[p * SIZE + j];
                z[i * SIZE + j] = sum;
            }
        }
        return z;
    }

    @Benchmark
    public void fmaPeak256(Blackhole bh) { bh.consume(fmaChains256(multiplier, addend)); }

    /**
     * The peak at 256 bits: on Zen 4, whose 512-bit FMAs are two 256-bit halves, both widths share one peak in FLOP
     * per cycle (measured alike: 117-118 GFLOP/s best of 30 on this machine). {@link #CHAINS} independent chains
     * {@code acc = acc·m + c} (more than FMA latency × pipes, 4 × 2) iterated so that a call does {@link #FMA_FLOPS}
     * FLOP; {@code 0 < m < 1} keeps every chain finite and normal. The species is a {@code static final}: the Vector
     * API compiles to vector instructions only for constant species.
     */
    private static float fmaChains256(float m, float c) {
        int iterations = (int) (FMA_FLOPS / (2L * CHAINS * PEAK_SPECIES.length()));
        FloatVector mv = FloatVector.broadcast(PEAK_SPECIES, m), cv = FloatVector.broadcast(PEAK_SPECIES, c);
        FloatVector a0 = cv, a1 = mv, a2 = cv, a3 = mv, a4 = cv, a5 = mv, a6 = cv, a7 = mv;
        FloatVector a8 = cv, a9 = mv, a10 = cv, a11 = mv, a12 = cv, a13 = mv, a14 = cv, a15 = mv;
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(mv, cv); a1 = a1.fma(mv, cv); a2 = a2.fma(mv, cv); a3 = a3.fma(mv, cv);
            a4 = a4.fma(mv, cv); a5 = a5.fma(mv, cv); a6 = a6.fma(mv, cv); a7 = a7.fma(mv, cv);
            a8 = a8.fma(mv, cv); a9 = a9.fma(mv, cv); a10 = a10.fma(mv, cv); a11 = a11.fma(mv, cv);
            a12 = a12.fma(mv, cv); a13 = a13.fma(mv, cv); a14 = a14.fma(mv, cv); a15 = a15.fma(mv, cv);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .add(a12).add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }
}
