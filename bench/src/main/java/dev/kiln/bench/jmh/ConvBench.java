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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 2-D convolution, NCHW: input {@code 1×C×S×S}, weights {@code C×C×3×3} (a constant), stride 1, pad 1, so the output
 * is {@code 1×C×S×S} (a ResNet stage-1 layer at the defaults C = 64, S = 56). Work: {@code 2·C·S·S·C·9} FLOP; bytes
 * {@code 4·(C·S·S + C·C·9 + C·S·S)}. {@link #backend} runs the ONNX {@code Conv} op as the device compiles it;
 * {@link #scalar} is the plain-Java direct convolution on the same numbers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBench {

    @State(Scope.Benchmark)
    public static class Shape extends ConvArrays {
        @Param({"64"})
        public int channels;
        @Param({"56"})
        public int spatial;

        @Setup
        public void setup() { fill(channels, spatial, channels * channels * 9, 3); }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) { compile3x3(this, "ConvBench", s.x, s.w, s.channels, s.spatial, 1); }
    }

    /**
     * Compiles into {@code k} the ONNX {@code Conv} of {@code x[1×c×n×n]} by the constant 3×3 weights {@code w} in
     * {@code groups} groups, stride 1, pad 1: the op both convolution benchmarks time.
     */
    static void compile3x3(CompiledOp k, String benchmark, float[] x, float[] w, int c, int n, int groups) {
        Tensor weights = Inputs.tensor(w, c, c / groups, 3, 3);
        String t = "f32[1," + c + "," + n + "," + n + "]";
        String ir = "graph @conv(%x: " + t + ") -> (%y: " + t + ") {\n  opsets {\"\": 21}\n"
                + OneOpModel.constant("w", weights)
                + "  %y: " + t + " = Conv(%x, %w) {group = " + groups + ", kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name \"conv\"\n}\n";
        k.compile(benchmark + " channels=" + c + " spatial=" + n, ir, List.of(weights), Map.of("x", Inputs.tensor(x, 1, c, n, n)));
    }

    public static Work work(Map<String, String> params) {
        double c = Double.parseDouble(params.get("channels"));
        double s = Double.parseDouble(params.get("spatial"));
        return new Work(2 * c * s * s * c * 9, 4 * (2 * c * s * s + c * c * 9));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        convolve3x3(s.x, s.w, s.y, s.channels, s.channels, s.spatial, 1);
        bh.consume(s.y);
    }

    /**
     * Direct 3×3 convolution, stride 1, pad 1, of {@code x[cin×s×s]} by {@code w[cout×(cin/groups)×3×3]} into
     * {@code y[cout×s×s]}, in {@code groups} groups (1: dense; cin = cout = groups: depthwise).
     */
    public static void convolve3x3(float[] x, float[] w, float[] y, int cin, int cout, int s, int groups) {
        int inPerGroup = cin / groups, outPerGroup = cout / groups;
        for (int o = 0; o < cout; o++) {
            int firstIn = (o / outPerGroup) * inPerGroup;
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    float sum = 0;
                    for (int i = 0; i < inPerGroup; i++) {
                        int plane = (firstIn + i) * s * s;
                        int kernel = (o * inPerGroup + i) * 9;
                        for (int kr = 0; kr < 3; kr++) {
                            int ir = r + kr - 1;
                            if (ir < 0 || ir >= s) continue;
                            for (int kc = 0; kc < 3; kc++) {
                                int ic = col + kc - 1;
                                if (ic >= 0 && ic < s) sum += x[plane + ir * s + ic] * w[kernel + kr * 3 + kc];
                            }
                        }
                    }
                    y[(o * s + r) * s + col] = sum;
                }
            }
        }
    }
}
