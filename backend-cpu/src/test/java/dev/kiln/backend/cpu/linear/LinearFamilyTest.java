package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.assertClose;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GEMM-backed convolution and matrix products on the CPU backend against the reference interpreter. */
class LinearFamilyTest {
    @Test
    void fusedConvolutionsWithStridesPaddingDilationAndResidualMatchTheInterpreter() {
        String[] convs = {
            "pads = [1, 1, 1, 1], strides = [1, 1], activation = \"Relu\"",
            "pads = [0, 1, 2, 1], strides = [2, 1], dilations = [1, 2], activation = \"LeakyRelu\", activation_params = [0.1]",
            "pads = [2, 2, 2, 2], strides = [3, 2], activation = \"Clip\", activation_params = [-0.5, 0.5]",
        };
        for (String attrs : convs) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[batch,5,11,13]) -> (%y: f32[batch,7,?,?]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[7,5,3,3] = dense<[W]>
                      const %b: f32[7] = dense<[B]>
                      %y: f32[batch,7,?,?] = kiln:FusedConv(%x, %w, %b) {ATTRS} name "conv"
                    }
                    """.replace("W", values(7 * 5 * 9, 1)).replace("B", values(7, 2)).replace("ATTRS", attrs));
            check(graph, "GEMM convolution", Map.of("x", random(3, 2, 5, 11, 13)), Map.of("x", random(4, 1, 5, 11, 13)));
        }
    }

    @Test
    void aPointwiseConvolutionWithAResidualBeforeTheActivation() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[2,6,9,9], %z: f32[2,4,9,9]) -> (%y: f32[2,4,9,9]) {
                  opsets {"": 17, "kiln": 1}
                  const %w: f32[4,6,1,1] = dense<[W]>
                  %y: f32[2,4,9,9] = kiln:FusedConv(%x, %w, _, %z) {activation = "Relu", residual = "before_activation"} name "conv"
                }
                """.replace("W", values(24, 3)));
        check(graph, "pointwise", Map.of("x", random(5, 2, 6, 9, 9), "z", random(6, 2, 4, 9, 9)));
    }

    /**
     * A pointwise convolution whose image is off-heap (another step's output) reads it in place as the GEMM's B:
     * pixels in whole and partial panels, a depth over one depth block, channels not a multiple of the tile's rows,
     * bias and a residual, on one and two threads.
     */
    @Test
    void pointwiseConvolutionsReadingTheImageInPlaceMatchTheInterpreter() {
        int[][] shapes = {{6, 4, 9}, {300, 13, 8}, {16, 96, 7}, {24, 40, 12}};
        for (int[] shape : shapes) {
            int c = shape[0], m = shape[1], s = shape[2];
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[2,$C,$S,$S], %z: f32[2,$M,$S,$S]) -> (%y: f32[2,$M,$S,$S]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[$M,$C,1,1] = dense<[$W]>
                      const %b: f32[$M] = dense<[$B]>
                      %r: f32[2,$C,$S,$S] = Relu(%x) name "relu"
                      %y: f32[2,$M,$S,$S] = kiln:FusedConv(%r, %w, %b, %z) {activation = "Relu", residual = "before_activation"} name "conv"
                    }
                    """.replace("$W", values(m * c, 15)).replace("$B", values(m, 16)).replace("$M", String.valueOf(m))
                    .replace("$C", String.valueOf(c)).replace("$S", String.valueOf(s)));
            Map<String, RuntimeValue> inputs = Map.of("x", random(17, 2, c, s, s), "z", random(18, 2, m, s, s));
            for (int threads = 1; threads <= 2; threads++) check(graph, threads, "", inputs, inputs);
        }
    }

    /** Images whose packed input exceeds L2 take the pixel-block schedule: blocks per thread, a short last block. */
    @Test
    void largeImagesConvolvedInPixelBlocksOnOneAndTwoThreadsMatchTheInterpreter() {
        String[] convs = {
            "pads = [1, 1, 1, 1], activation = \"Relu\", residual = \"after_activation\"",
            "pads = [1, 0, 1, 2], strides = [2, 2], residual = \"before_activation\", activation = \"Relu\"",
        };
        int[] sizes = {50, 99};
        for (int c = 0; c < convs.length; c++) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[1,16,S,S], %z: f32[1,24,O,O]) -> (%y: f32[1,24,O,O]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[24,16,3,3] = dense<[W]>
                      const %b: f32[24] = dense<[B]>
                      %y: f32[1,24,O,O] = kiln:FusedConv(%x, %w, %b, %z) {ATTRS} name "conv"
                    }
                    """.replace("W", values(24 * 16 * 9, 11)).replace("B", values(24, 12)).replace("ATTRS", convs[c])
                    .replace("S", String.valueOf(sizes[c])).replace("O", "50"));
            Map<String, RuntimeValue> inputs = Map.of("x", random(13, 1, 16, sizes[c], sizes[c]), "z", random(14, 1, 24, 50, 50));
            for (int threads = 1; threads <= 2; threads++) check(graph, threads, "implicit im2col", inputs, inputs);
        }
    }

    @Test
    void gemmAndMatMulByConstantsMatchTheInterpreter() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[batch,37]) -> (%y: f32[batch,19], %m: f32[batch,19]) {
                  opsets {"": 17, "kiln": 1}
                  const %w: f32[19,37] = dense<[W]>
                  const %v: f32[37,19] = dense<[V]>
                  const %c: f32[19] = dense<[C]>
                  %y: f32[batch,19] = kiln:FusedGemm(%a, %w, %c) {transB = 1, activation = "Relu"} name "gemm"
                  %m: f32[batch,19] = MatMul(%a, %v) name "matmul"
                }
                """.replace("W", values(19 * 37, 7)).replace("V", values(37 * 19, 8)).replace("C", values(19, 9)));
        check(graph, "packed GEMM", Map.of("a", random(10, 5, 37)), Map.of("a", random(11, 1, 37)));
    }

    @SafeVarargs
    private static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        check(graph, 2, kind, runs);
    }

    @SafeVarargs
    private static void check(Graph graph, int threads, String kind, Map<String, RuntimeValue>... runs) {
        CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null));
        for (var step : plan.steps()) assertTrue(step.describe().contains(kind), step.describe());
        try (Frame frame = plan.newFrame()) {
            for (Map<String, RuntimeValue> inputs : runs) {
                Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                for (var e : expected.entrySet()) assertClose(e.getKey(), (Tensor) e.getValue(), (Tensor) actual.get(e.getKey()));
            }
        }
    }
}
