package dev.kiln.backend.cpu.quant;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;


/**
 * The quantized ops on the CPU backend against the reference interpreter, exactly (integer outputs), at the
 * smallest and the largest species and at one and two threads, on random shapes, types and quantization parameters.
 */
class QuantFamilyTest {
    @Test
    void qlinearConvolutionsMatchTheInterpreter() {
        // x type, w type, y type, C, M, group, kernel, attributes
        Object[][] cases = {
                {"u8", "i8", "u8", 5, 7, 1, 3, "pads = [1, 1, 1, 1]"},
                {"i8", "i8", "i8", 4, 6, 1, 3, "pads = [0, 1, 2, 1], strides = [2, 1], dilations = [1, 2]"},
                {"u8", "u8", "i8", 3, 13, 1, 1, ""},
                {"u8", "i8", "u8", 6, 6, 6, 3, "pads = [1, 1, 1, 1], strides = [2, 2]"},
                {"i8", "i8", "u8", 8, 16, 8, 3, "pads = [1, 1, 1, 1]"},
                {"u8", "i8", "u8", 6, 4, 2, 2, "strides = [1, 2], auto_pad = \"VALID\""},
        };
        SplittableRandom r = new SplittableRandom(21);
        for (Object[] c : cases) {
            String x = (String) c[0], w = (String) c[1], y = (String) c[2];
            int inC = (int) c[3], outC = (int) c[4], group = (int) c[5], k = (int) c[6];
            String perChannel = outC % 2 == 0 ? "[" + outC + "]" : "[]";
            int scales = outC % 2 == 0 ? outC : 1;
            Graph graph = IrParser.parse("""
                    graph @main(%x: {X}[batch,{IN},?,?]) -> (%y: {Y}[batch,{OUT},?,?]) {
                      opsets {"": 13}
                      const %xs: f32[] = dense<[0.05]>
                      const %xz: {X}[] = dense<[{XZ}]>
                      const %w: {W}[{OUT},{INPG},{K},{K}] = dense<[{WV}]>
                      const %ws: f32{PC} = dense<[{WS}]>
                      const %wz: {W}{PC} = dense<[{WZ}]>
                      const %ys: f32[] = dense<[{YS}]>
                      const %yz: {Y}[] = dense<[{YZ}]>
                      const %b: i32[{OUT}] = dense<[{BV}]>
                      %y: {Y}[batch,{OUT},?,?] = QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b) {group = {G}, {ATTRS}} name "qconv"
                    }
                    """.replace("{PC}", perChannel).replace("{X}", x).replace("{W}", w).replace("{Y}", y)
                    .replace("{INPG}", "" + inC / group).replace("{IN}", "" + inC).replace("{OUT}", "" + outC).replace("{K}", "" + k)
                    .replace("{G}", "" + group).replace("{ATTRS}", ((String) c[7]).isEmpty() ? "strides = [1, 1]" : (String) c[7])
                    .replace("{XZ}", "" + zero(r, x)).replace("{WV}", bytes(r, outC * inC / group * k * k, w))
                    .replace("{WS}", floats(r, scales, 0.005, 0.02)).replace("{WZ}", w.equals("u8") ? ints(scales, 128) : ints(scales, 0))
                    .replace("{YS}", "" + (0.05 * 0.01 * Math.sqrt(inC / group * k * k) * 40)).replace("{YZ}", "" + zero(r, y))
                    .replace("{BV}", biases(r, outC)));
            check(graph, "int8", Map.of("x", image(r, x, 2, inC, 9, 11)), Map.of("x", image(r, x, 1, inC, 12, 7)));
        }
    }

    @Test
    void convIntegerMatchesTheInterpreter() {
        SplittableRandom r = new SplittableRandom(22);
        Graph graph = IrParser.parse("""
                graph @main(%x: u8[1,3,10,10]) -> (%y: i32[1,5,?,?]) {
                  opsets {"": 13}
                  const %w: u8[5,3,3,3] = dense<[WV]>
                  const %xz: u8[] = dense<[17]>
                  const %wz: u8[5] = dense<[WZ]>
                  %y: i32[1,5,?,?] = ConvInteger(%x, %w, %xz, %wz) {pads = [1, 0, 1, 2]} name "qconv"
                }
                """.replace("WV", bytes(r, 5 * 27, "u8")).replace("WZ", bytes(r, 5, "u8")));
        check(graph, "int8", Map.of("x", image(r, "u8", 1, 3, 10, 10)));
    }

    @Test
    void deepConvolutionsPackedInSeveralPixelBlocksMatchTheInterpreter() {
        // depth 64·9 = 576 makes a pixel block of 224 (a multiple of both panel widths): 340 pixels are two blocks.
        SplittableRandom r = new SplittableRandom(27);
        Graph graph = IrParser.parse("""
                graph @main(%x: u8[1,64,20,17]) -> (%y: i32[1,5,?,?]) {
                  opsets {"": 13}
                  const %w: i8[5,64,3,3] = dense<[WV]>
                  const %xz: u8[] = dense<[120]>
                  %y: i32[1,5,?,?] = ConvInteger(%x, %w, %xz) {pads = [1, 1, 1, 1]} name "qconv"
                }
                """.replace("WV", bytes(r, 5 * 64 * 9, "i8")));
        check(graph, "int8 GEMM", Map.of("x", image(r, "u8", 1, 64, 20, 17)));
    }

    @Test
    void depthwiseConvolutionsOnRowsWiderThanTheVectorsMatchTheInterpreter() {
        SplittableRandom r = new SplittableRandom(25);
        for (String pads : new String[] {"[1, 1, 1, 1]", "[0, 2, 1, 0]"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: i8[1,4,6,41]) -> (%y: i32[1,4,?,?]) {
                      opsets {"": 13}
                      const %w: i8[4,1,3,3] = dense<[WV]>
                      const %xz: i8[] = dense<[-5]>
                      const %wz: i8[4] = dense<[1, 0, -2, 3]>
                      %y: i32[1,4,?,?] = ConvInteger(%x, %w, %xz, %wz) {group = 4, pads = PADS} name "qconv"
                    }
                    """.replace("WV", bytes(r, 36, "i8")).replace("PADS", pads));
            check(graph, "direct depthwise", Map.of("x", image(r, "i8", 1, 4, 6, 41)));
        }
    }

    @Test
    void qlinearMatMulsMatchTheInterpreter() {
        SplittableRandom r = new SplittableRandom(23);
        String[][] types = {{"u8", "u8", "u8"}, {"i8", "i8", "i8"}, {"u8", "i8", "i8"}};
        for (String[] t : types) {
            for (int n : new int[] {1, 37}) {
                Graph graph = IrParser.parse("""
                        graph @main(%a: A[?,?,70]) -> (%y: Y[?,?,N]) {
                          opsets {"": 13}
                          const %as: f32[] = dense<[0.03]>
                          const %az: A[] = dense<[AZ]>
                          const %b: B[70,N] = dense<[BV]>
                          const %bs: f32[N] = dense<[BS]>
                          const %bz: B[N] = dense<[BZ]>
                          const %ys: f32[] = dense<[0.4]>
                          const %yz: Y[] = dense<[YZ]>
                          %y: Y[?,?,N] = QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz) name "qmm"
                        }
                        """.replace("A[", t[0] + "[").replace("B[", t[1] + "[").replace("Y[", t[2] + "[").replace("N", "" + n)
                        .replace("AZ", "" + zero(r, t[0])).replace("BV", bytes(r, 70 * n, t[1])).replace("BS", floats(r, n, 0.005, 0.02))
                        .replace("BZ", bytes(r, n, t[1])).replace("YZ", "" + zero(r, t[2])));
                check(graph, "int8", Map.of("a", image(r, t[0], 2, 13, 70)), Map.of("a", image(r, t[0], 1, 1, 70)));
            }
        }
    }

    @Test
    void matMulIntegerMatchesTheInterpreter() {
        SplittableRandom r = new SplittableRandom(24);
        Graph graph = IrParser.parse("""
                graph @main(%a: i8[9,33]) -> (%y: i32[9,20]) {
                  opsets {"": 13}
                  const %b: u8[33,20] = dense<[BV]>
                  const %az: i8[] = dense<[-3]>
                  const %bz: u8[20] = dense<[BZ]>
                  %y: i32[9,20] = MatMulInteger(%a, %b, %az, %bz) name "qmm"
                }
                """.replace("BV", bytes(r, 33 * 20, "u8")).replace("BZ", bytes(r, 20, "u8")));
        check(graph, "int8", Map.of("a", image(r, "i8", 9, 33)));
    }

    @Test
    void quantizeAndDequantizeAtTheBoundariesMatchTheInterpreter() {
        for (String type : new String[] {"u8", "i8"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[3,?]) -> (%q: T[3,?], %y: f32[3,?]) {
                      opsets {"": 13}
                      const %s: f32[] = dense<[0.0173]>
                      const %z: T[] = dense<[ZP]>
                      %q: T[3,?] = QuantizeLinear(%x, %s, %z) name "quantize"
                      %y: f32[3,?] = DequantizeLinear(%q, %s, %z) name "dequantize"
                    }
                    """.replace("T[", type + "[").replace("ZP", type.equals("u8") ? "131" : "-7"));
            Tensor x = Tensor.zeros(DType.F32, 3, 50);
            SplittableRandom r = new SplittableRandom(26);
            for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextDouble(-3, 3));
            // exact ties of x / scale, both saturations and a NaN
            x.setDouble(0, 0.0173 * 2.5f);
            x.setDouble(1, 0.0173f * -3.5f);
            x.setDouble(2, 1e9);
            x.setDouble(3, -1e9);
            x.setDouble(4, Float.NaN);
            check(graph, "quantize", Map.of("x", x));
        }
    }

    @SafeVarargs
    private static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        InterpreterCheck.check(graph, kind, new int[] {1, 2}, runs);
    }

    private static int zero(SplittableRandom r, String type) { return InterpreterCheck.zero(r, type); }
    private static String bytes(SplittableRandom r, int n, String type) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append(type.equals("u8") ? r.nextInt(256) : r.nextInt(256) - 128);
        return s.toString();
    }

    private static String ints(int n, int value) { return String.join(", ", java.util.Collections.nCopies(n, "" + value)); }

    private static String floats(SplittableRandom r, int n, double lo, double hi) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append((float) r.nextDouble(lo, hi));
        return s.toString();
    }

    private static String biases(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append(r.nextInt(-2000, 2000));
        return s.toString();
    }

    private static Tensor image(SplittableRandom r, String type, long... shape) { return InterpreterCheck.image(r, type, shape); }
}
