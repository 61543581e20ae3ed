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
    public static class Shape extends ConvArrays {
        @Param({"128"})
        public int channels;
        @Param({"56"})
        public int spatial;

        @Setup
        public void setup() { fill(channels, spatial, channels * 9, 5); }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Setup
        public void setup(Shape s) { ConvBench.compile3x3(this, "DepthwiseConvBench", s.x, s.w, s.channels, s.spatial, s.channels); }
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
