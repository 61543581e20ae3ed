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
 * Depthwise 3×3 convolution as MobileNetV2 runs it, NCHW: input {@code 1×C×S×S} through a Relu (so the convolution
 * reads a step's off-heap output, as inside a model, not the caller's array), weights {@code C×1×3×3} and a bias
 * (constants), group C, pad 1, stride 1 or 2, then Relu6 ({@code Clip(0, 6)}, fused into the convolution).
 * {@code layer} is {@code C:S:stride}; the defaults are MobileNetV2's ten distinct depthwise layers (112² to 7²).
 * Work: {@code 2·C·O²·9} FLOP with {@code O = (S - 1) / stride + 1} (the Relu's {@code C·S²} is left out); bytes
 * {@code 4·(C·S² + C·O² + 10·C)}: about 2 FLOP per byte, low on the roofline. {@link #scalar} is the plain-Java
 * direct loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DepthwiseConvBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"32:112:1", "96:112:2", "144:56:1", "144:56:2", "192:28:1", "192:28:2", "384:14:1", "576:14:1", "576:14:2", "960:7:1"})
        public String layer;
        int channels, spatial, stride, out;
        float[] x, w, b, y;

        @Setup
        public void setup() {
            String[] p = layer.split(":");
            channels = Integer.parseInt(p[0]);
            spatial = Integer.parseInt(p[1]);
            stride = Integer.parseInt(p[2]);
            out = (spatial - 1) / stride + 1;
            x = Inputs.uniform(channels * spatial * spatial, 5);
            w = Inputs.uniform(channels * 9, 6);
            b = Inputs.uniform(channels, 7);
            y = new float[channels * out * out];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) {
            Tensor weights = Inputs.tensor(s.w, s.channels, 1, 3, 3), bias = Inputs.tensor(s.b, s.channels);
            Tensor low = Tensor.ofFloats(new long[0], 0f), high = Tensor.ofFloats(new long[0], 6f);
            String in = "f32[1," + s.channels + "," + s.spatial + "," + s.spatial + "]", out = "f32[1," + s.channels + "," + s.out + "," + s.out + "]";
            String ir = "graph @depthwise(%x: " + in + ") -> (%y: " + out + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", weights) + OneOpModel.constant("b", bias)
                    + OneOpModel.constant("lo", low) + OneOpModel.constant("hi", high)
                    + "  %r: " + in + " = Relu(%x) name \"relu\"\n"
                    + "  %c: " + out + " = Conv(%r, %w, %b) {group = " + s.channels + ", kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = ["
                    + s.stride + ", " + s.stride + "]} name \"conv\"\n"
                    + "  %y: " + out + " = Clip(%c, %lo, %hi) name \"relu6\"\n}\n";
            compile("DepthwiseConvBench layer=" + s.layer, ir, List.of(weights, bias, low, high),
                    Map.of("x", Inputs.tensor(s.x, 1, s.channels, s.spatial, s.spatial)));
        }
    }

    public static Work work(Map<String, String> params) {
        String[] p = params.get("layer").split(":");
        double c = Double.parseDouble(p[0]), s = Double.parseDouble(p[1]), o = Math.floor((s - 1) / Double.parseDouble(p[2])) + 1;
        return new Work(2 * c * o * o * 9, 4 * (c * s * s + c * o * o + 10 * c));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        convolve(s);
        bh.consume(s.y);
    }

    /** The baseline: {@code y = min(max(b + Σ w·relu(x), 0), 6)} per output, straight from the definition. */
    static void convolve(Shape s) {
        int n = s.spatial, o = s.out;
        for (int c = 0; c < s.channels; c++) {
            for (int r = 0; r < o; r++) {
                for (int col = 0; col < o; col++) {
                    float sum = s.b[c];
                    for (int kr = 0; kr < 3; kr++) {
                        int ir = r * s.stride + kr - 1;
                        if (ir < 0 || ir >= n) continue;
                        for (int kc = 0; kc < 3; kc++) {
                            int ic = col * s.stride + kc - 1;
                            if (ic >= 0 && ic < n) sum += Math.max(0f, s.x[(c * n + ir) * n + ic]) * s.w[c * 9 + kr * 3 + kc];
                        }
                    }
                    s.y[(c * o + r) * o + col] = Math.min(Math.max(sum, 0f), 6f);
                }
            }
        }
    }
}
