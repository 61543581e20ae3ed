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
 * A pointwise (1×1) convolution as MobileNetV2 and SqueezeNet run them, NCHW: input {@code 1×C×S×S} through a Relu
 * (so the convolution's image is a step's off-heap output, as inside a model, not the caller's array), weights
 * {@code M×C×1×1}, output {@code 1×M×S×S}. The defaults are MobileNetV2's two costliest: 16→96 at 112² and 144→24
 * at 56². Work: {@code 2·M·C·S²} FLOP (the Relu's {@code C·S²} is left out); bytes {@code 4·(C·S² + M·C + M·S²)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PointwiseConvBench {

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Param({"16:96:112", "144:24:56"})
        public String shape;
        int c, m, pixels;
        float[] x, w, y;

        @Setup
        public void setup() {
            String[] p = shape.split(":");
            c = Integer.parseInt(p[0]);
            m = Integer.parseInt(p[1]);
            int s = Integer.parseInt(p[2]);
            pixels = s * s;
            x = Inputs.uniform(c * pixels, 1);
            w = Inputs.uniform(m * c, 3);
            y = new float[m * pixels];
            Tensor weights = Inputs.tensor(w, m, c, 1, 1);
            String in = "f32[1," + c + "," + s + "," + s + "]", out = "f32[1," + m + "," + s + "," + s + "]";
            String ir = "graph @conv(%x: " + in + ") -> (%y: " + out + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", weights)
                    + "  %r: " + in + " = Relu(%x) name \"relu\"\n"
                    + "  %y: " + out + " = Conv(%r, %w) {kernel_shape = [1, 1]} name \"conv\"\n}\n";
            compile("PointwiseConvBench shape=" + shape, ir, List.of(weights), Map.of("x", Inputs.tensor(x, 1, c, s, s)));
        }
    }

    public static Work work(Map<String, String> params) {
        String[] p = params.get("shape").split(":");
        double c = Double.parseDouble(p[0]), m = Double.parseDouble(p[1]), s = Double.parseDouble(p[2]);
        return new Work(2 * m * c * s * s, 4 * (c * s * s + m * c + m * s * s));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    /** The baseline: Relu, then a dot product over the input channels per output element, one float at a time. */
    @Benchmark
    public void scalar(Compiled k, Blackhole bh) {
        for (int o = 0; o < k.m; o++) {
            for (int q = 0; q < k.pixels; q++) {
                float sum = 0;
                for (int i = 0; i < k.c; i++) sum += k.w[o * k.c + i] * Math.max(0f, k.x[i * k.pixels + q]);
                k.y[o * k.pixels + q] = sum;
            }
        }
        bh.consume(k.y);
    }
}
