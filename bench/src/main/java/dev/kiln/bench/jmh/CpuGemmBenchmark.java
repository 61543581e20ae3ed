package dev.kiln.bench.jmh;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The CPU backend's FP32 GEMM called directly at 512×512×512 ({@link #FLOPS} FLOP a call, so GFLOP/s =
 * {@code FLOPS / time}), B packed once as a model's weights are: {@link #gemmVector} at 1 and 2 threads with the
 * micro-kernel at 512 bits (this machine's preferred width) and at 256, and {@link #gemmScalar}, a plain triple
 * loop, as the baseline. Read it against {@code FmaPeakProbe.vector} run alongside ({@code bin/kiln-jmh
 * 'CpuGemmBenchmark|FmaPeakProbe'}); on Zen 4 the peak is the same at 256 and 512 bits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CpuGemmBenchmark {
    public static final int SIZE = 512;
    public static final long FLOPS = 2L * SIZE * SIZE * SIZE;

    /** A, B and C, shared by both benchmarks; it has no parameters, so the slow baseline runs once. */
    @State(Scope.Benchmark)
    public static class Operands {
        Arena arena;
        float[] a, b, c;
        MemorySegment aSegment, bSegment, cSegment;

        @Setup
        public void setup() {
            arena = Arena.ofShared();
            a = Inputs.uniform(SIZE * SIZE, 1);
            b = Inputs.uniform(SIZE * SIZE, 2);
            c = new float[SIZE * SIZE];
            aSegment = arena.allocate((long) SIZE * SIZE * 4, 64).copyFrom(MemorySegment.ofArray(a));
            bSegment = arena.allocate((long) SIZE * SIZE * 4, 64).copyFrom(MemorySegment.ofArray(b));
            cSegment = arena.allocate((long) SIZE * SIZE * 4, 64);
        }

        @TearDown
        public void tearDown() { arena.close(); }
    }

    /** The GEMM at a thread count and a micro-kernel width, with B packed in setup. */
    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"1", "2"})
        public int threads;
        @Param({"512", "256"})
        public int bits;
        WorkerPool pool;
        Gemm gemm;
        PackedMatrix packedB;

        @Setup
        public void setup(Operands o) {
            pool = new WorkerPool(threads);
            VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
            gemm = new Gemm(species, pool);
            packedB = gemm.packB(o.arena, o.bSegment, 0, SIZE, false, SIZE, SIZE);
        }

        @TearDown
        public void tearDown() { pool.close(); }
    }

    @Benchmark
    public MemorySegment gemmVector(Engine e, Operands o) {
        e.gemm.multiply(SIZE, o.aSegment, 0, SIZE, false, e.packedB, o.cSegment, 0, SIZE, false, null);
        return o.cSegment;
    }

    /** The baseline: a dot product per element of C, one float at a time. */
    @Benchmark
    public float[] gemmScalar(Operands o) {
        float[] x = o.a, y = o.b, z = o.c;
        for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
                float sum = 0;
                for (int p = 0; p < SIZE; p++) sum += x[i * SIZE + p] * y[p * SIZE + j];
                z[i * SIZE + j] = sum;
            }
        }
        return z;
    }
}
