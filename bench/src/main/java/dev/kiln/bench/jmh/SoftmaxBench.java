package dev.kiln.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Softmax over the last axis of a {@code rows×cols} matrix (256 × 1000 by default: a batch of ImageNet logits).
 * Work: a nominal {@code 5·rows·cols} FLOP (per element: the running max, the subtraction, exp counted as one
 * operation, the sum, the scaling); bytes {@code 8·rows·cols} (read x, write y). The 1 MB matrix stays in cache,
 * so exp throughput, not DRAM, is its limit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SoftmaxBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"256"})
        public int rows;
        @Param({"1000"})
        public int cols;
        float[] x;
        float[] y;

        @Setup
        public void setup() {
            x = Inputs.uniform(rows * cols, 9);
            for (int i = 0; i < x.length; i++) x[i] *= 8; // logits spread over [-8, 8), as a classifier's are
            y = new float[rows * cols];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) {
            String t = "f32[" + s.rows + "," + s.cols + "]";
            String ir = "graph @softmax(%x: " + t + ") -> (%y: " + t + ") {\n  opsets {\"\": 21}\n"
                    + "  %y: " + t + " = Softmax(%x) {axis = -1} name \"softmax\"\n}\n";
            compile("SoftmaxBench rows=" + s.rows + " cols=" + s.cols, ir, List.of(),
                    Map.of("x", Inputs.tensor(s.x, s.rows, s.cols)));
        }
    }

    public static Work work(Map<String, String> params) {
        double elements = Double.parseDouble(params.get("rows")) * Double.parseDouble(params.get("cols"));
        return new Work(5 * elements, 8 * elements);
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        softmaxRows(s.x, s.y, s.rows, s.cols);
        bh.consume(s.y);
    }

    /** Row-wise softmax of {@code x[rows×cols]} into {@code y}, shifted by each row's max so exp cannot overflow. */
    public static void softmaxRows(float[] x, float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int start = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, x[start + c]);
            float sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[start + c] - max);
                y[start + c] = e;
                sum += e;
            }
            float scale = 1 / sum;
            for (int c = 0; c < cols; c++) y[start + c] *= scale;
        }
    }
}
