package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantized kernels against the reference interpreter on seeded random shapes, attributes and operand types;
 * integer outputs must match exactly.
 */
class QuantizedKernelTest {
    private static final List<DType> EIGHT_BIT = List.of(DType.I8, DType.U8);

    private static String graph(String inputs, String outputs, String body) {
        return "graph @g(" + inputs + ") -> (" + outputs + ") {\n  opsets {\"\": 21}\n" + body + "}\n";
    }

    private static String scalar(String name, DType dtype, String value) {
        return "  const %" + name + ": " + dtype + "[] = dense<[" + value + "]>\n";
    }

    /** {@code count} seeded positive scales in [lo, hi). */
    private static String scales(String name, long count, double lo, double hi) {
        Random random = new Random(name.hashCode() + count);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) values.add(Float.toString((float) (lo + random.nextDouble() * (hi - lo))));
        return "  const %" + name + ": f32[" + count + "] = dense<[" + String.join(", ", values) + "]>\n";
    }

    private static long[] randomShape(Random random, int minRank, int maxRank) {
        long[] shape = new long[minRank + random.nextInt(maxRank - minRank + 1)];
        for (int d = 0; d < shape.length; d++) shape[d] = 1 + random.nextInt(5);
        return shape;
    }

    @Test
    void quantizeAndDequantizePerTensorAndPerAxis() {
        Random random = new Random(1);
        for (int trial = 0; trial < 6; trial++) {
            long[] shape = randomShape(random, 1, 4);
            DType type = EIGHT_BIT.get(trial % 2);
            int axis = random.nextInt(shape.length) - (trial % 3 == 0 ? shape.length : 0);
            long dim = shape[axis < 0 ? axis + shape.length : axis];
            Oracle.agree(graph("%x: f32" + Shape.format(shape), "%y: " + type + "[*]", scalar("s", DType.F32, "0.0173")
                    + scalar("z", type, type == DType.U8 ? "131" : "-7") + "  %y: " + type + "[*] = QuantizeLinear(%x, %s, %z)\n"));
            Oracle.agree(graph("%x: f32" + Shape.format(shape), "%y: " + type + "[*]", scales("s", dim, 0.005, 0.05)
                    + Oracle.constant("z", type, dim) + "  %y: " + type + "[*] = QuantizeLinear(%x, %s, %z) {axis = " + axis + "}\n"));
            Oracle.agree(graph("%x: " + type + Shape.format(shape), "%y: f32[*]", scales("s", dim, 0.005, 0.05)
                    + Oracle.constant("z", type, dim) + "  %y: f32[*] = DequantizeLinear(%x, %s, %z) {axis = " + axis + "}\n"));
            Oracle.agree(graph("%x: " + type + Shape.format(shape), "%y: f32[*]", scalar("s", DType.F32, "0.031")
                    + "  %y: f32[*] = DequantizeLinear(%x, %s)\n"));
        }
        Oracle.agree(graph("%x: f32[3,4]", "%y: u8[*]", scalar("s", DType.F32, "0.02") + "  %y: u8[*] = QuantizeLinear(%x, %s)\n"));
    }

    @Test
    void dynamicQuantizationFindsTheRangeThenQuantizes() {
        Random random = new Random(2);
        for (int trial = 0; trial < 3; trial++) {
            long[] shape = randomShape(random, 1, 3);
            Oracle.agree(graph("%x: f32" + Shape.format(shape), "%y: u8[*], %s: f32[*], %z: u8[*]",
                    "  %y: u8[*], %s: f32[*], %z: u8[*] = DynamicQuantizeLinear(%x)\n"));
        }
    }

    @Test
    void quantizedConvOnRandomGeometry() {
        Random random = new Random(3);
        for (int trial = 0; trial < 8; trial++) {
            long groups = List.of(1L, 2L, 3L).get(random.nextInt(3));
            boolean depthwise = trial % 4 == 3;
            long cg = depthwise ? 1 : 1 + random.nextInt(3);
            long channels = groups * cg;
            long m = depthwise ? channels : groups * (1 + random.nextInt(3));
            long kh = 1 + random.nextInt(3);
            long kw = 1 + random.nextInt(3);
            long[] x = {1 + random.nextInt(2), channels, 4 + random.nextInt(4), 6 + random.nextInt(3)};
            DType xt = EIGHT_BIT.get(random.nextInt(2));
            DType wt = EIGHT_BIT.get(random.nextInt(2));
            DType yt = EIGHT_BIT.get(random.nextInt(2));
            long s = 1 + random.nextInt(2);
            long d = 1 + random.nextInt(2);
            long p = random.nextInt(2);
            String attrs = "{group = " + groups + ", strides = [" + s + ", 1], dilations = [1, " + d + "], pads = [" + p + ", 0, 1, " + p + "]}";
            String consts = scalar("xs", DType.F32, "0.02") + scalar("xz", xt, xt == DType.U8 ? "120" : "3")
                    + Oracle.constant("w", wt, m, cg, kh, kw) + scales("ws", trial % 2 == 0 ? m : 1, 0.002, 0.01)
                    + Oracle.constant("wz", wt, trial % 2 == 0 ? m : 1) + scalar("ys", DType.F32, "0.05")
                    + scalar("yz", yt, yt == DType.U8 ? "128" : "-5") + Oracle.constant("b", DType.I32, m);
            String qlinear = graph("%x: " + xt + Shape.format(x), "%y: " + yt + "[*]", consts
                    + "  %y: " + yt + "[*] = QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz" + (trial % 3 == 0 ? "" : ", %b") + ") " + attrs + "\n");
            String integer = graph("%x: " + xt + Shape.format(x), "%y: i32[*]", scalar("xz", xt, "7") + Oracle.constant("w", wt, m, cg, kh, kw)
                    + Oracle.constant("wz", wt, trial % 2 == 0 ? m : 1) + "  %y: i32[*] = ConvInteger(%x, %w, %xz, %wz) " + attrs + "\n");
            for (String g : List.of(qlinear, integer)) {
                List<KernelChoice> buffered = Oracle.agree(g);
                assertTrue(buffered.getFirst().kernel().contains("int multiply-add") && buffered.getFirst().kernel().contains("line buffer"),
                        buffered.toString());
                // one byte holds neither the weights nor a line: weights from __global, the input read per tap
                List<KernelChoice> tapped = Oracle.agree(g, r -> new RenderOptions(8, 1, Map.of()));
                assertTrue(tapped.getFirst().kernel().contains("weights __global, input window: __global per tap"), tapped.toString());
            }
        }
    }

    @Test
    void oneAndThreeSpatialDimsReadPerTap() {
        String consts = scalar("xs", DType.F32, "0.02") + scalar("xz", DType.I8, "-2") + scalar("ys", DType.F32, "0.03") + scalar("yz", DType.I8, "1");
        Oracle.agree(graph("%x: i8[1,4,9]", "%y: i8[*]", consts + Oracle.constant("w", DType.I8, 4, 2, 3) + scales("ws", 4, 0.002, 0.01)
                + "  %y: i8[*] = QLinearConv(%x, %xs, %xz, %w, %ws, _, %ys, %yz) {group = 2, auto_pad = \"SAME_UPPER\", strides = [2]}\n"));
        Oracle.agree(graph("%x: i8[1,2,4,5,3]", "%y: i32[*]", Oracle.constant("w", DType.U8, 2, 2, 2, 3, 2)
                + "  %y: i32[*] = ConvInteger(%x, %w) {pads = [0, 1, 1, 1, 0, 0]}\n"));
    }

    @Test
    void weightsGoOnChipCorrectedByTheirZeroPoint() {
        String consts = scalar("xs", DType.F32, "0.02") + scalar("xz", DType.U8, "128") + Oracle.constant("w", DType.I8, 4, 3, 3, 3)
                + scales("ws", 4, 0.002, 0.01) + Oracle.constant("wz", DType.I8, 4) + scalar("ys", DType.F32, "0.05") + scalar("yz", DType.U8, "128");
        String g = graph("%x: u8[1,3,5,5]", "%y: u8[*]", consts + "  %y: u8[*] = QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz) {pads = [1, 1, 1, 1]}\n");
        List<KernelChoice> k = Oracle.agree(g);
        assertTrue(k.getFirst().kernel().contains("weights __local (zero-point corrected)"), k.toString());
    }

    @Test
    void quantizedAndIntegerMatMulBroadcastBatches() {
        Random random = new Random(4);
        for (int trial = 0; trial < 6; trial++) {
            long m = 1 + random.nextInt(5);
            long k = 1 + random.nextInt(9);
            long n = 1 + random.nextInt(5);
            long[] a = trial % 3 == 0 ? new long[] {m, k} : new long[] {2, 1, m, k};
            long[] b = trial % 3 == 1 ? new long[] {k, n} : new long[] {3, k, n};
            DType at = EIGHT_BIT.get(random.nextInt(2));
            DType bt = EIGHT_BIT.get(random.nextInt(2));
            DType yt = EIGHT_BIT.get(random.nextInt(2));
            String consts = scalar("as", DType.F32, "0.03") + scalar("az", at, at == DType.U8 ? "100" : "-3") + scalar("bs", DType.F32, "0.004")
                    + scalar("bz", bt, bt == DType.U8 ? "130" : "2") + scalar("ys", DType.F32, "0.02") + scalar("yz", yt, yt == DType.U8 ? "128" : "0");
            Oracle.agree(graph("%a: " + at + Shape.format(a) + ", %b: " + bt + Shape.format(b), "%y: " + yt + "[*]",
                    consts + "  %y: " + yt + "[*] = QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz)\n"));
            Oracle.agree(graph("%a: " + at + Shape.format(a) + ", %b: " + bt + Shape.format(b), "%y: i32[*]",
                    scalar("az", at, "5") + scalar("bz", bt, "9") + "  %y: i32[*] = MatMulInteger(%a, %b, %az, %bz)\n"));
        }
    }

    @Test
    void castConvertsIntegerSumsToFloat() {
        Oracle.agree(graph("%a: u8[3,7], %b: i8[7,5]", "%y: f32[*]", scalar("s", DType.F32, "0.0007")
                + "  %m: i32[*] = MatMulInteger(%a, %b)\n  %f: f32[*] = Cast(%m) {to = 1}\n  %y: f32[*] = Mul(%f, %s)\n"));
        Oracle.agree(graph("%x: i8[2,3]", "%y: f32[*]", "  %y: f32[*] = Cast(%x) {to = 1}\n"));
    }

    @Test
    void poolingAndDataMovementPassEightBitTensors() {
        for (DType type : EIGHT_BIT) {
            String t = type.toString();
            Oracle.agree(graph("%x: " + t + "[1,3,6,6], %z: " + t + "[1,3,3,3]", "%y: " + t + "[*]",
                    "  %p: " + t + "[*] = MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 0, 0]}\n"
                            + "  %q: " + t + "[*] = Transpose(%p) {perm = [0, 1, 3, 2]}\n"
                            + "  %c: " + t + "[*] = Concat(%q, %z) {axis = 1}\n"
                            + "  %y: " + t + "[*] = Flatten(%c) {axis = 1}\n"));
        }
    }
}
