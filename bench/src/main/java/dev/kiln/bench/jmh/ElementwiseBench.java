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
 * The fused elementwise chain {@code y = Relu(a + b)} over {@code n = elements} floats, as the passes produce it: one
 * {@code kiln:FusedElementwise} op whose body graph holds the {@code Add} and the {@code Relu}. Work: {@code 2·n} FLOP
 * (an add and a max per element); bytes {@code 12·n} (read a and b, write y). At 1M floats the 12 MB working set fits
 * in a 32 MB L3; at 4M (48 MB, streamed in order, so an LRU-like cache keeps none of it) it comes from DRAM, where the
 * memory-bandwidth probe is its limit. The reference backend takes about 1 s per call at 4M; on faster devices,
 * {@code -p elements=16777216} streams 192 MB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"1048576", "4194304"})
        public int elements;
        float[] a;
        float[] b;
        float[] y;

        @Setup
        public void setup() {
            a = Inputs.uniform(elements, 7);
            b = Inputs.uniform(elements, 8);
            y = new float[elements];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) {
            String t = "f32[" + s.elements + "]";
            String ir = "graph @add_relu(%a: " + t + ", %b: " + t + ") -> (%y: " + t + ") {\n"
                    + "  opsets {\"\": 21, \"kiln\": 1}\n"
                    + "  %y: " + t + " = kiln:FusedElementwise(%a, %b) {body = graph @add_relu_body(%p: " + t + ", %q: " + t
                    + ") -> (%r: " + t + ") {\n"
                    + "    %s: " + t + " = Add(%p, %q) name \"add\"\n"
                    + "    %r: " + t + " = Relu(%s) name \"relu\"\n"
                    + "  }} name \"add_relu\"\n}\n";
            compile("ElementwiseBench elements=" + s.elements, ir, List.of(),
                    Map.of("a", Inputs.tensor(s.a, s.elements), "b", Inputs.tensor(s.b, s.elements)));
        }
    }

    public static Work work(Map<String, String> params) {
        double n = Double.parseDouble(params.get("elements"));
        return new Work(2 * n, 12 * n);
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        addRelu(s.a, s.b, s.y);
        bh.consume(s.y);
    }

    /** {@code y[i] = max(a[i] + b[i], 0)}. */
    public static void addRelu(float[] a, float[] b, float[] y) {
        for (int i = 0; i < y.length; i++) y[i] = Math.max(a[i] + b[i], 0f);
    }
}
