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
 * kiln:Attention, {@code softmax(scale·Q·Kt)·V} over {@code heads} heads of {@code seq} tokens and {@code dim}
 * features (4 × 8 × 8 by default: the repo's transformer model at batch 1). Work: {@code 4·heads·seq²·dim} FLOP for
 * the two products (the softmax's {@code seq²} per head not counted); bytes {@code 16·heads·seq·dim} (read Q, Kt, V,
 * write the output).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AttentionBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"4"})
        public int heads;
        @Param({"8"})
        public int seq;
        @Param({"8"})
        public int dim;
        float[] q, kt, v, scores, out;

        @Setup
        public void setup() {
            q = Inputs.uniform(heads * seq * dim, 1);
            kt = Inputs.uniform(heads * dim * seq, 2);
            v = Inputs.uniform(heads * seq * dim, 3);
            scores = new float[seq];
            out = new float[heads * seq * dim];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) {
            String qt = "f32[1," + s.heads + "," + s.seq + "," + s.dim + "]";
            String kt = "f32[1," + s.heads + "," + s.dim + "," + s.seq + "]";
            String ir = "graph @attention(%q: " + qt + ", %kt: " + kt + ", %v: " + qt + ") -> (%y: " + qt + ") {\n"
                    + "  opsets {\"\": 17, \"kiln\": 1}\n"
                    + "  %y: " + qt + " = kiln:Attention(%q, %kt, %v) {scale = " + (float) (1 / Math.sqrt(s.dim)) + "} name \"attention\"\n}\n";
            compile("AttentionBench heads=" + s.heads + " seq=" + s.seq + " dim=" + s.dim, ir, List.of(), Map.of(
                    "q", Inputs.tensor(s.q, 1, s.heads, s.seq, s.dim),
                    "kt", Inputs.tensor(s.kt, 1, s.heads, s.dim, s.seq),
                    "v", Inputs.tensor(s.v, 1, s.heads, s.seq, s.dim)));
        }
    }

    public static Work work(Map<String, String> params) {
        double heads = Double.parseDouble(params.get("heads")), seq = Double.parseDouble(params.get("seq")), dim = Double.parseDouble(params.get("dim"));
        return new Work(4 * heads * seq * seq * dim, 16 * heads * seq * dim);
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        attention(s.q, s.kt, s.v, s.scores, s.out, s.heads, s.seq, s.dim);
        bh.consume(s.out);
    }

    /** Plain loops, one query row at a time: scores, their softmax, the weighted sum of V's rows. */
    public static void attention(float[] q, float[] kt, float[] v, float[] scores, float[] out, int heads, int seq, int dim) {
        float scale = (float) (1 / Math.sqrt(dim));
        for (int h = 0; h < heads; h++) {
            int head = h * seq * dim;
            for (int i = 0; i < seq; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < seq; j++) {
                    float s = 0;
                    for (int p = 0; p < dim; p++) s += q[head + i * dim + p] * kt[head + p * seq + j];
                    scores[j] = s * scale;
                    max = Math.max(max, scores[j]);
                }
                float sum = 0;
                for (int j = 0; j < seq; j++) sum += scores[j] = (float) Math.exp(scores[j] - max);
                for (int c = 0; c < dim; c++) {
                    float y = 0;
                    for (int j = 0; j < seq; j++) y += scores[j] * v[head + j * dim + c];
                    out[head + i * dim + c] = y / sum;
                }
            }
        }
    }
}
