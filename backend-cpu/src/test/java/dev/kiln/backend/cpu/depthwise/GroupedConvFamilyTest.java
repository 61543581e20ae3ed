package dev.kiln.backend.cpu.depthwise;

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

/** Depthwise and grouped convolutions on the CPU backend against the reference interpreter, at one and two threads. */
class GroupedConvFamilyTest {
    @Test
    void depthwiseConvolutionsWithTheirEpiloguesMatchTheInterpreter() {
        String[] convs = {
            "pads = [1, 1, 1, 1], strides = [1, 1], activation = \"Clip\", activation_params = [0.0, 6.0]",
            "pads = [1, 1, 1, 1], strides = [2, 2], activation = \"Relu\"",
            "pads = [0, 1, 2, 1], strides = [2, 1], dilations = [1, 2], activation = \"LeakyRelu\", activation_params = [0.1]",
            "pads = [2, 2, 2, 2], strides = [3, 2], activation = \"HardSwish\"",
            "pads = [1, 1, 1, 1], activation = \"HardSigmoid\", activation_params = [0.25, 0.5]",
            "pads = [1, 1, 1, 1], activation = \"Sigmoid\"",
            "pads = [1, 1, 1, 1], activation = \"Silu\"",
            "pads = [1, 1, 1, 1], activation = \"Gelu\"",
        };
        for (String attrs : convs) {
            for (int multiplier : new int[] {1, 2}) {
                int out = 6 * multiplier;
                Graph graph = IrParser.parse("""
                        graph @main(%x: f32[batch,6,23,29]) -> (%y: f32[batch,OUT,?,?]) {
                          opsets {"": 17, "kiln": 1}
                          const %w: f32[OUT,1,3,3] = dense<[W]>
                          const %b: f32[OUT] = dense<[B]>
                          %y: f32[batch,OUT,?,?] = kiln:FusedConv(%x, %w, %b) {group = 6, ATTRS} name "conv"
                        }
                        """.replace("OUT", "" + out).replace("W", values(out * 9, 1)).replace("B", values(out, 2)).replace("ATTRS", attrs));
                check(graph, "depthwise", Map.of("x", random(3, 2, 6, 23, 29)), Map.of("x", random(4, 1, 6, 23, 29)));
            }
        }
    }

    @Test
    void aPlainDepthwiseConvLargeEnoughToSplitOverThreads() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[1,32,112,112]) -> (%y: f32[1,32,112,112]) {
                  opsets {"": 13}
                  const %w: f32[32,1,3,3] = dense<[W]>
                  %y: f32[1,32,112,112] = Conv(%x, %w) {group = 32, pads = [1, 1, 1, 1], kernel_shape = [3, 3]} name "conv"
                }
                """.replace("W", values(32 * 9, 5)));
        check(graph, "depthwise", Map.of("x", random(6, 1, 32, 112, 112)));
    }

    @Test
    void residualsBeforeAndAfterTheActivation() {
        for (String placement : new String[] {"before_activation", "after_activation"}) {
            for (int inPerGroup : new int[] {1, 2}) {
                Graph graph = IrParser.parse("""
                        graph @main(%x: f32[2,8,10,12], %z: f32[2,8,10,12]) -> (%y: f32[2,8,10,12]) {
                          opsets {"": 17, "kiln": 1}
                          const %w: f32[8,IN,3,3] = dense<[W]>
                          const %b: f32[8] = dense<[B]>
                          %y: f32[2,8,10,12] = kiln:FusedConv(%x, %w, %b, %z) {group = GROUPS, pads = [1, 1, 1, 1], activation = "Relu", residual = "PLACE"} name "conv"
                        }
                        """.replace("IN", "" + inPerGroup).replace("GROUPS", "" + 8 / inPerGroup).replace("PLACE", placement)
                        .replace("W", values(8 * inPerGroup * 9, 7)).replace("B", values(8, 8)));
                check(graph, inPerGroup == 1 ? "depthwise" : "grouped GEMM", Map.of("x", random(9, 2, 8, 10, 12), "z", random(10, 2, 8, 10, 12)));
            }
        }
    }

    @Test
    void groupedConvolutionsWithSeveralChannelsPerGroupMatchTheInterpreter() {
        String[] convs = {
            "pads = [1, 1, 1, 1], strides = [1, 1], activation = \"Relu\"",
            "pads = [0, 1, 2, 1], strides = [2, 1], dilations = [1, 2]",
            "pads = [2, 2, 2, 2], strides = [3, 2], activation = \"Tanh\"",
        };
        for (String attrs : convs) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[batch,6,11,13]) -> (%y: f32[batch,9,?,?]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[9,2,3,3] = dense<[W]>
                      const %b: f32[9] = dense<[B]>
                      %y: f32[batch,9,?,?] = kiln:FusedConv(%x, %w, %b) {group = 3, ATTRS} name "conv"
                    }
                    """.replace("W", values(9 * 2 * 9, 11)).replace("B", values(9, 12)).replace("ATTRS", attrs));
            check(graph, "grouped GEMM", Map.of("x", random(13, 2, 6, 11, 13)), Map.of("x", random(14, 1, 6, 11, 13)));
        }
    }

    @SafeVarargs
    private static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        for (int threads : new int[] {1, 2}) {
            CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null));
            for (var step : plan.steps()) assertTrue(step.describe().contains(kind), step.describe());
            try (Frame frame = plan.newFrame()) {
                for (Map<String, RuntimeValue> inputs : runs) {
                    Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                    for (int repeat = 0; repeat < 2; repeat++) {
                        Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                        for (var e : expected.entrySet()) assertClose(e.getKey(), (Tensor) e.getValue(), (Tensor) actual.get(e.getKey()));
                    }
                }
            }
        }
    }
}
