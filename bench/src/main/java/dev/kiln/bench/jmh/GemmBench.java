package dev.kiln.bench.jmh;

import dev.kiln.ir.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GEMM {@code Y[M×N] = A[M×K] · B[K×N]} with {@code M = N = K = size}, B a constant (the weights). Work: {@code 2·M·N·K}
 * FLOP; bytes {@code 4·(M·K + K·N + M·N)}. {@link #backend} runs the ONNX {@code Gemm} op as the device compiles it;
 * {@link #scalar} is the plain-Java baseline on the same numbers. The scalar state carries no device parameter, so
 * JMH runs the baseline once per shape however many devices are listed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"64", "512"})
        public int size;
        float[] a;
        float[] b;
        float[] y;

        @Setup
        public void setup() {
            a = Inputs.uniform(size * size, 1);
            b = Inputs.uniform(size * size, 2);
            y = new float[size * size];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) {
            Tensor b = Inputs.tensor(s.b, s.size, s.size);
            String t = "f32[" + s.size + "," + s.size + "]";
            String ir = "graph @gemm(%a: " + t + ") -> (%y: " + t + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("b", b)
                    + "  %y: " + t + " = Gemm(%a, %b) name \"gemm\"\n}\n";
            compile("GemmBench size=" + s.size, ir, List.of(b), Map.of("a", Inputs.tensor(s.a, s.size, s.size)));
        }
    }

    public static Work work(Map<String, String> params) {
        double n = Double.parseDouble(params.get("size"));
        return new Work(2 * n * n * n, 4 * 3 * n * n);
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        multiply(s.a, s.b, s.y, s.size, s.size, s.size);
        bh.consume(s.y);
    }

    /** {@code y[m×n] = a[m×k] · b[k×n]}, row-major, in i-k-j order so the inner loop streams rows of b and y. */
    public static void multiply(float[] a, float[] b, float[] y, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            int row = i * n;
            Arrays.fill(y, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int brow = p * n;
                for (int j = 0; j < n; j++) y[row + j] += aip * b[brow + j];
            }
        }
    }
}
