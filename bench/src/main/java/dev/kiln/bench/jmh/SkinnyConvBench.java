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
 * Convolutions whose GEMM is skinny (few input channels, or few pixels), as the models run them: input
 * {@code 1×C×S×S} through a Relu (so the image is a step's off-heap output), then {@code Conv} with bias (weights
 * {@code M×C×k×k}, stride {@code s}, pad {@code k/2}) and a Relu, which the passes fuse into the convolution's
 * epilogue. Shape {@code C:M:S:k:s}; the defaults are MobileNetV2's stem (3→32 3×3 stride 2 at 224²) and
 * pointwise 16→96 at 112², 32→16 at 112² and 24→144 at 56², and the digits CNN's two convolutions (1→16 and 16→32,
 * 3×3 on 8×8). Work: {@code 2·M·C·k²·P} FLOP for {@code P} output pixels; bytes {@code 4·(C·S² + M·C·k² + M·P)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SkinnyConvBench {

    /** One shape: channels, image size, kernel and stride, parsed from {@code C:M:S:k:s}. */
    record Shape(int c, int m, int size, int kernel, int stride) {
        static Shape parse(String text) {
            String[] p = text.split(":");
            return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                    Integer.parseInt(p[4]));
        }

        int pad() { return kernel / 2; }

        int out() { return (size + 2 * pad() - kernel) / stride + 1; }
    }

    @State(Scope.Benchmark)
    public static class Compiled extends CompiledOp {
        @Param({"3:32:224:3:2", "16:96:112:1:1", "32:16:112:1:1", "24:144:56:1:1", "16:32:8:3:1", "1:16:8:3:1"})
        public String shape;
        Shape s;
        float[] x, w, bias, y;

        @Setup
        public void setup() {
            s = Shape.parse(shape);
            int c = s.c(), m = s.m(), n = s.size(), k = s.kernel(), o = s.out();
            x = Inputs.uniform(c * n * n, 1);
            w = Inputs.uniform(m * c * k * k, 3);
            bias = Inputs.uniform(m, 5);
            y = new float[m * o * o];
            Tensor weights = Inputs.tensor(w, m, c, k, k), b = Inputs.tensor(bias, m);
            String in = "f32[1," + c + "," + n + "," + n + "]", out = "f32[1," + m + "," + o + "," + o + "]";
            String ir = "graph @conv(%x: " + in + ") -> (%y: " + out + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", weights) + OneOpModel.constant("b", b)
                    + "  %r: " + in + " = Relu(%x) name \"relu_in\"\n"
                    + "  %c: " + out + " = Conv(%r, %w, %b) {kernel_shape = [" + k + ", " + k + "], pads = [" + s.pad() + ", " + s.pad()
                    + ", " + s.pad() + ", " + s.pad() + "], strides = [" + s.stride() + ", " + s.stride() + "]} name \"conv\"\n"
                    + "  %y: " + out + " = Relu(%c) name \"relu_out\"\n}\n";
            compile("SkinnyConvBench shape=" + shape, ir, List.of(weights, b), Map.of("x", Inputs.tensor(x, 1, c, n, n)));
        }
    }

    public static Work work(Map<String, String> params) {
        Shape s = Shape.parse(params.get("shape"));
        double c = s.c(), m = s.m(), k2 = s.kernel() * s.kernel(), pixels = (double) s.out() * s.out();
        return new Work(2 * m * c * k2 * pixels, 4 * (c * s.size() * s.size() + m * c * k2 + m * pixels));
    }

    @Benchmark
    public void backend(Compiled k, Blackhole bh) { bh.consume(k.run()); }

    /** The baseline: the same three ops as a direct convolution, one float at a time. */
    @Benchmark
    public void scalar(Compiled k, Blackhole bh) {
        Shape s = k.s;
        int n = s.size(), o = s.out(), kk = s.kernel();
        for (int oc = 0; oc < s.m(); oc++) {
            for (int r = 0; r < o; r++) {
                for (int col = 0; col < o; col++) {
                    float sum = k.bias[oc];
                    for (int ic = 0; ic < s.c(); ic++) {
                        for (int i = 0; i < kk; i++) {
                            int row = r * s.stride() + i - s.pad();
                            if (row < 0 || row >= n) continue;
                            for (int j = 0; j < kk; j++) {
                                int column = col * s.stride() + j - s.pad();
                                if (column >= 0 && column < n) {
                                    sum += k.w[((oc * s.c() + ic) * kk + i) * kk + j] * Math.max(0f, k.x[(ic * n + row) * n + column]);
                                }
                            }
                        }
                    }
                    k.y[(oc * o + r) * o + col] = Math.max(0f, sum);
                }
            }
        }
        bh.consume(k.y);
    }
}
