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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A residual add of a quantized network against the float one, in one run so that their ratio is read under one
 * load: com.microsoft {@code QLinearAdd} of two int8 {@code [1×C×P×P]} tensors with per-tensor parameters (what
 * {@code lower-qdq} makes of DQ→Add→Q) against {@code Add} of two float32 tensors of that shape. The int8 op reads
 * and writes a quarter of the bytes but requantizes every element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QuantAddBench {
    /** The two ops, compiled once for the device and thread count. */
    @State(Scope.Benchmark)
    public static class Ops {
        @Param({"cpu"})
        public String device;
        @Param({"1"})
        public int threads;
        @Param({"64"})
        public int channels;
        @Param({"56"})
        public int spatial;
        OneOpModel addInt8, addFloat;
        Map<String, Tensor> int8In, floatIn;

        @Setup
        public void setup() {
            int c = channels, p = spatial;
            String image = "[1," + c + "," + p + "," + p + "]";
            addInt8 = OneOpModel.compile("QuantAddBench addInt8", "graph @qa(%a: i8" + image + ", %b: i8" + image + ") -> (%y: i8" + image + ") {\n"
                    + "  opsets {\"\": 21, \"com.microsoft\": 1}\n"
                    + "  const %as: f32[] = dense<[0.031]>\n  const %az: i8[] = dense<[-128]>\n  const %bs: f32[] = dense<[0.047]>\n"
                    + "  const %bz: i8[] = dense<[0]>\n  const %ys: f32[] = dense<[0.052]>\n  const %yz: i8[] = dense<[-128]>\n"
                    + "  %y: i8" + image + " = com.microsoft:QLinearAdd(%a, %as, %az, %b, %bs, %bz, %ys, %yz) name \"qadd\"\n}\n",
                    java.util.List.of(), device, threads);
            int8In = Map.of("a", QuantKernelBench.bytes(DType.I8, 1, 1, c, p, p), "b", QuantKernelBench.bytes(DType.I8, 2, 1, c, p, p));
            addFloat = OneOpModel.compile("QuantAddBench addFloat", "graph @fa(%a: f32" + image + ", %b: f32" + image + ") -> (%y: f32" + image + ") {\n"
                    + "  opsets {\"\": 21}\n  %y: f32" + image + " = Add(%a, %b) name \"add\"\n}\n", java.util.List.of(), device, threads);
            floatIn = Map.of("a", Inputs.tensor(Inputs.uniform(c * p * p, 3), 1, c, p, p), "b", Inputs.tensor(Inputs.uniform(c * p * p, 4), 1, c, p, p));
        }

        @TearDown
        public void close() {
            addInt8.close();
            addFloat.close();
        }
    }

    @Benchmark
    public Tensor addInt8(Ops o) { return o.addInt8.runOne(o.int8In); }

    @Benchmark
    public Tensor addFloat(Ops o) { return o.addFloat.runOne(o.floatIn); }
}
