package dev.kiln.bench.jmh;

import dev.kiln.backend.cpu.kernels.LayerNormKernel;
import dev.kiln.backend.cpu.kernels.SoftmaxKernel;
import dev.kiln.backend.cpu.kernels.UnaryMathKernel;
import dev.kiln.backend.cpu.math.MathFunction;
import dev.kiln.backend.cpu.math.ScalarMath;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CPU backend's vector math against scalar baselines on the same segments: exp, tanh, erf, sigmoid and GELU
 * over 1M floats (inputs uniform in [-8, 8)), softmax and layer normalization over 256 rows of 1000. Baselines: a
 * scalar loop over {@code Math.exp} / {@code Math.tanh} / 1 / (1 + {@code Math.exp(-x)}); for erf and GELU, which
 * the JDK lacks, the scalar twins in {@link ScalarMath}; for softmax and layer norm the same passes in scalar code
 * ({@code Math.exp} for softmax). Kernels sit in static finals, as generated code will hold them. 4 MB per array:
 * in L3, not in L2.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CpuVectorMathBenchmark {
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int N = 1 << 20;
    private static final int ROWS = 256;
    private static final int COLS = 1000;

    private static final UnaryMathKernel EXP = new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, MathFunction.EXP);
    private static final UnaryMathKernel TANH = new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, MathFunction.TANH);
    private static final UnaryMathKernel ERF = new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, MathFunction.ERF);
    private static final UnaryMathKernel SIGMOID =
            new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, MathFunction.SIGMOID);
    private static final UnaryMathKernel GELU = new UnaryMathKernel(FloatVector.SPECIES_PREFERRED, MathFunction.GELU);
    private static final SoftmaxKernel SOFTMAX = new SoftmaxKernel(FloatVector.SPECIES_PREFERRED);
    private static final LayerNormKernel LAYER_NORM = new LayerNormKernel(FloatVector.SPECIES_PREFERRED);
    private static final float EPSILON = 1e-5f;

    private Arena arena;
    private MemorySegment src;
    private MemorySegment dst;
    private MemorySegment scale;
    private MemorySegment bias;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofShared();
        src = arena.allocate((long) N * Float.BYTES, 64);
        dst = arena.allocate((long) N * Float.BYTES, 64);
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < N; i++) src.setAtIndex(FLOAT, i, (float) (random.nextDouble() * 16 - 8));
        scale = arena.allocate((long) COLS * Float.BYTES, 64);
        bias = arena.allocate((long) COLS * Float.BYTES, 64);
        for (int i = 0; i < COLS; i++) {
            scale.setAtIndex(FLOAT, i, (float) (0.5 + random.nextDouble()));
            bias.setAtIndex(FLOAT, i, (float) (random.nextDouble() - 0.5));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment expVector() {
        EXP.apply(src, 0, dst, 0, N);
        return dst;
    }

    @Benchmark
    public MemorySegment expScalar() {
        for (int i = 0; i < N; i++) dst.setAtIndex(FLOAT, i, (float) Math.exp(src.getAtIndex(FLOAT, i)));
        return dst;
    }

    @Benchmark
    public MemorySegment tanhVector() {
        TANH.apply(src, 0, dst, 0, N);
        return dst;
    }

    @Benchmark
    public MemorySegment tanhScalar() {
        for (int i = 0; i < N; i++) dst.setAtIndex(FLOAT, i, (float) Math.tanh(src.getAtIndex(FLOAT, i)));
        return dst;
    }

    @Benchmark
    public MemorySegment erfVector() {
        ERF.apply(src, 0, dst, 0, N);
        return dst;
    }

    @Benchmark
    public MemorySegment erfScalar() {
        for (int i = 0; i < N; i++) dst.setAtIndex(FLOAT, i, ScalarMath.erf(src.getAtIndex(FLOAT, i)));
        return dst;
    }

    @Benchmark
    public MemorySegment sigmoidVector() {
        SIGMOID.apply(src, 0, dst, 0, N);
        return dst;
    }

    @Benchmark
    public MemorySegment sigmoidScalar() {
        for (int i = 0; i < N; i++) dst.setAtIndex(FLOAT, i, (float) (1 / (1 + Math.exp(-src.getAtIndex(FLOAT, i)))));
        return dst;
    }

    @Benchmark
    public MemorySegment geluVector() {
        GELU.apply(src, 0, dst, 0, N);
        return dst;
    }

    @Benchmark
    public MemorySegment geluScalar() {
        for (int i = 0; i < N; i++) dst.setAtIndex(FLOAT, i, ScalarMath.gelu(src.getAtIndex(FLOAT, i)));
        return dst;
    }

    @Benchmark
    public MemorySegment layerNormVector() {
        LAYER_NORM.normalize(src, 0, scale, 0, bias, 0, dst, 0, ROWS, COLS, EPSILON);
        return dst;
    }

    @Benchmark
    public MemorySegment layerNormScalar() {
        for (int r = 0; r < ROWS; r++) {
            long row = (long) r * COLS;
            float sum = 0;
            for (int c = 0; c < COLS; c++) sum += src.getAtIndex(FLOAT, row + c);
            float mean = sum / COLS;
            float squares = 0;
            for (int c = 0; c < COLS; c++) {
                float d = src.getAtIndex(FLOAT, row + c) - mean;
                squares += d * d;
            }
            float invStd = (float) (1 / Math.sqrt(squares / COLS + EPSILON));
            for (int c = 0; c < COLS; c++) {
                float normalized = (src.getAtIndex(FLOAT, row + c) - mean) * invStd;
                dst.setAtIndex(FLOAT, row + c, normalized * scale.getAtIndex(FLOAT, c) + bias.getAtIndex(FLOAT, c));
            }
        }
        return dst;
    }

    @Benchmark
    public MemorySegment softmaxVector() {
        SOFTMAX.softmax(src, 0, dst, 0, ROWS, COLS);
        return dst;
    }

    @Benchmark
    public MemorySegment softmaxScalar() {
        for (int r = 0; r < ROWS; r++) {
            long row = (long) r * COLS;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < COLS; c++) max = Math.max(max, src.getAtIndex(FLOAT, row + c));
            float sum = 0;
            for (int c = 0; c < COLS; c++) {
                float e = (float) Math.exp(src.getAtIndex(FLOAT, row + c) - max);
                dst.setAtIndex(FLOAT, row + c, e);
                sum += e;
            }
            float inverse = 1f / sum;
            for (int c = 0; c < COLS; c++) dst.setAtIndex(FLOAT, row + c, dst.getAtIndex(FLOAT, row + c) * inverse);
        }
        return dst;
    }
}
