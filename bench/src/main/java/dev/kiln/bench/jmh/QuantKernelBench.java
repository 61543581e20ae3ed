package dev.kiln.bench.jmh;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The integer kernels against the float kernels of the same shape, in one run so that their ratio is read under
 * one load (issue 8's target: int8 at least 2× float). GEMM: {@code QLinearMatMul} of uint8 {@code [S×S]} by a
 * constant int8 {@code [S×S]} with per-column scales, against {@code MatMul} by a constant float32 {@code [S×S]}.
 * Convolution: {@code QLinearConv} of uint8 {@code [1×C×P×P]} by constant int8 {@code C×C×3×3} weights with
 * per-channel scales and an int32 bias, stride 1, pad 1, against {@code Conv} with float32 weights and bias.
 * Work per call: {@code 2·S³} and {@code 2·C·C·9·P²} operations (a multiply-add is 2, integer or float).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QuantKernelBench {

    /** The four ops, compiled once for the device and thread count. */
    @State(Scope.Benchmark)
    public static class Ops {
        @Param({"cpu"})
        public String device;
        @Param({"1"})
        public int threads;
        @Param({"512"})
        public int size;
        @Param({"64"})
        public int channels;
        @Param({"56"})
        public int spatial;
        OneOpModel gemmInt8, gemmFloat, convInt8, convFloat;
        Map<String, Tensor> gemmInt8In, gemmFloatIn, convInt8In, convFloatIn;

        @Setup
        public void setup() {
            int s = size, c = channels, p = spatial;
            Tensor a8 = bytes(DType.U8, 1, s, s), b8 = bytes(DType.I8, 2, s, s), bScale = floats(3, 0.001, 0.01, s);
            String t8 = "[" + s + "," + s + "]";
            gemmInt8 = OneOpModel.compile("QuantKernelBench gemmInt8", "graph @q(%a: u8" + t8 + ") -> (%y: u8" + t8 + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("b", b8) + OneOpModel.constant("bs", bScale)
                    + "  const %as: f32[] = dense<[0.02]>\n  const %az: u8[] = dense<[128]>\n  const %bz: i8[] = dense<[0]>\n"
                    + "  const %ys: f32[] = dense<[2.0]>\n  const %yz: u8[] = dense<[128]>\n"
                    + "  %y: u8" + t8 + " = QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz) name \"qmm\"\n}\n", List.of(b8, bScale), device, threads);
            gemmInt8In = Map.of("a", a8);
            Tensor bf = Inputs.tensor(Inputs.uniform(s * s, 2), s, s);
            gemmFloat = OneOpModel.compile("QuantKernelBench gemmFloat", "graph @f(%a: f32" + t8 + ") -> (%y: f32" + t8 + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("b", bf) + "  %y: f32" + t8 + " = MatMul(%a, %b) name \"mm\"\n}\n", List.of(bf), device, threads);
            gemmFloatIn = Map.of("a", Inputs.tensor(Inputs.uniform(s * s, 1), s, s));

            String image = "[1," + c + "," + p + "," + p + "]";
            Tensor w8 = bytes(DType.I8, 4, c, c, 3, 3), wScale = floats(5, 0.001, 0.01, c), bias = Tensor.zeros(DType.I32, c);
            SplittableRandom r = new SplittableRandom(6);
            for (int i = 0; i < c; i++) bias.setLong(i, r.nextInt(-5000, 5000));
            convInt8 = OneOpModel.compile("QuantKernelBench convInt8", "graph @qc(%x: u8" + image + ") -> (%y: u8" + image + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", w8) + OneOpModel.constant("ws", wScale) + OneOpModel.constant("b", bias)
                    + "  const %xs: f32[] = dense<[0.02]>\n  const %xz: u8[] = dense<[128]>\n  const %wz: i8[] = dense<[0]>\n"
                    + "  const %ys: f32[] = dense<[2.0]>\n  const %yz: u8[] = dense<[128]>\n"
                    + "  %y: u8" + image + " = QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name \"qconv\"\n}\n",
                    List.of(w8, wScale, bias), device, threads);
            convInt8In = Map.of("x", bytes(DType.U8, 7, 1, c, p, p));
            Tensor wf = Inputs.tensor(Inputs.uniform(c * c * 9, 8), c, c, 3, 3), bf32 = Inputs.tensor(Inputs.uniform(c, 9), c);
            convFloat = OneOpModel.compile("QuantKernelBench convFloat", "graph @fc(%x: f32" + image + ") -> (%y: f32" + image + ") {\n  opsets {\"\": 21}\n"
                    + OneOpModel.constant("w", wf) + OneOpModel.constant("b", bf32)
                    + "  %y: f32" + image + " = Conv(%x, %w, %b) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name \"conv\"\n}\n",
                    List.of(wf, bf32), device, threads);
            convFloatIn = Map.of("x", Inputs.tensor(Inputs.uniform(c * p * p, 10), 1, c, p, p));
        }

        @TearDown
        public void close() {
            gemmInt8.close();
            gemmFloat.close();
            convInt8.close();
            convFloat.close();
        }
    }

    static Tensor bytes(DType type, long seed, long... shape) {
        Tensor t = Tensor.zeros(type, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.setLong(i, type == DType.U8 ? r.nextInt(256) : r.nextInt(-127, 128));
        return t;
    }

    static Tensor floats(long seed, double lo, double hi, int n) {
        Tensor t = Tensor.zeros(DType.F32, n);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) t.setDouble(i, r.nextDouble(lo, hi));
        return t;
    }

    @Benchmark
    public Tensor gemmInt8(Ops o) { return o.gemmInt8.runOne(o.gemmInt8In); }

    @Benchmark
    public Tensor gemmFloat(Ops o) { return o.gemmFloat.runOne(o.gemmFloatIn); }

    @Benchmark
    public Tensor convInt8(Ops o) { return o.convInt8.runOne(o.convInt8In); }

    @Benchmark
    public Tensor convFloat(Ops o) { return o.convFloat.runOne(o.convFloatIn); }
}
