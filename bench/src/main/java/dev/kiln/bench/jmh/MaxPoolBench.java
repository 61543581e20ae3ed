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
 * Max pooling 3×3, stride 2, pad 1 over {@code 1×C×S×S}, ResNet-18's pool after its stem at the defaults (C = 64,
 * S = 112). Work: 9 comparisons per output ({@code C·(S/2)²} outputs); bytes {@code 4·(C·S² + C·(S/2)²)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MaxPoolBench {

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Param({"64"})
        public int channels;
        @Param({"112"})
        public int spatial;
        float[] x, y;

        @Setup
        public void setup() {
            int c = channels, s = spatial, o = (s - 1) / 2 + 1;
            x = Inputs.uniform(c * s * s, 1);
            y = new float[c * o * o];
            String in = "f32[1," + c + "," + s + "," + s + "]", out = "f32[1," + c + "," + o + "," + o + "]";
            String ir = "graph @pool(%x: " + in + ") -> (%y: " + out + ") {\n  opsets {\"\": 21}\n"
                    + "  %y: " + out + " = MaxPool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name \"pool\"\n}\n";
            compile("MaxPoolBench channels=" + c + " spatial=" + s, ir, List.of(), Map.of("x", Inputs.tensor(x, 1, c, s, s)));
        }
    }

    public static Work work(Map<String, String> params) {
        double c = Double.parseDouble(params.get("channels")), s = Double.parseDouble(params.get("spatial"));
        double outputs = c * Math.floor((s - 1) / 2 + 1) * Math.floor((s - 1) / 2 + 1);
        return new Work(9 * outputs, 4 * (c * s * s + outputs));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    /** The baseline: each output's in-bounds taps compared one float at a time. */
    @Benchmark
    public void scalar(Compiled k, Blackhole bh) {
        int s = k.spatial, o = (s - 1) / 2 + 1;
        for (int c = 0; c < k.channels; c++) {
            for (int oh = 0; oh < o; oh++) {
                for (int ow = 0; ow < o; ow++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ih = Math.max(0, 2 * oh - 1); ih <= Math.min(s - 1, 2 * oh + 1); ih++) {
                        for (int iw = Math.max(0, 2 * ow - 1); iw <= Math.min(s - 1, 2 * ow + 1); iw++) max = Math.max(max, k.x[(c * s + ih) * s + iw]);
                    }
                    k.y[(c * o + oh) * o + ow] = max;
                }
            }
        }
        bh.consume(k.y);
    }
}
