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
 * Depthwise 3×3 convolution, NCHW: input {@code 1×C×S×S}, weights {@code C×1×3×3} (a constant), group C, stride 1,
 * pad 1 (a MobileNetV2 layer at the defaults C = 128, S = 56). Work: {@code 2·C·S·S·9} FLOP; bytes
 * {@code 4·(2·C·S·S + C·9)}: about 2 FLOP per byte, so it sits low on the roofline. {@link #backend} runs the ONNX
 * {@code Conv} op with {@code group = C} as the device compiles it; {@link #scalar} is the plain-Java direct loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DepthwiseConvBench {

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"128"})
        public int channels;
        @Param({"56"})
        public int spatial;
        float[] x;
        float[] w;
        float[] y;

        @Setup
        public void setup() {
            x = Inputs.uniform(channels * spatial * spatial, 5);
            w = Inputs.uniform(channels * 9, 6);
            y = new float[channels * spatial * spatial];
        }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {

        @Setup
        public void setup(Shape s) {
            int c = s.channels, n = s.spatial;
            Tensor w = Inputs.tensor(s.w, c, 1, 3, 3);
            String t = "f32[1," + c + "," + n + "," + n + "]";
            String ir = "graph @depthwise(%x: " + t + ") -> (%y: " + t + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", w)
                    + "  %y: " + t + " = Conv(%x, %w) {group = " + c + ", kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name \"dw\"\n}\n";
            compile("DepthwiseConvBench channels=" + c + " spatial=" + n, ir, List.of(w), Map.of("x", Inputs.tensor(s.x, 1, c, n, n)));
        }
    }

    public static Work work(Map<String, String> params) {
        double c = Double.parseDouble(params.get("channels"));
        double s = Double.parseDouble(params.get("spatial"));
        return new Work(2 * c * s * s * 9, 4 * (2 * c * s * s + c * 9));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    @Benchmark
    public void scalar(Shape s, Blackhole bh) {
        ConvBench.convolve3x3(s.x, s.w, s.y, s.channels, s.channels, s.spatial, s.channels);
        bh.consume(s.y);
    }
}
