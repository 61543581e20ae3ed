package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.products.ReferenceCheck.check;
import static dev.kiln.backend.cpu.products.ReferenceCheck.random;
import static dev.kiln.backend.cpu.products.ReferenceCheck.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Products of computed tensors (MatMul, Gemm) and ConvTranspose on the CPU backend against the interpreter. */
class ProductsFamilyTest {
    @Test
    void matMulOfTwoComputedTensorsBroadcastsBatchesLikeNumPy() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[?,?,?,?], %b: f32[?,?,?], %c: f32[?,?], %d: f32[?,?,?,?]) -> (%x: f32[?,?,?,?], %y: f32[?,?,?,?], %z: f32[?,?,?,?]) {
                  opsets {"": 17}
                  %x: f32[?,?,?,?] = MatMul(%a, %b) name "batched"
                  %y: f32[?,?,?,?] = MatMul(%a, %c) name "shared"
                  %z: f32[?,?,?,?] = MatMul(%c, %d) name "left"
                }
                """);
        check(graph, "batched GEMM",
                Map.of("a", random(1, 2, 3, 7, 13), "b", random(2, 3, 13, 9), "c", random(3, 13, 19), "d", random(4, 2, 1, 19, 5)),
                Map.of("a", random(5, 1, 1, 1, 37), "b", random(6, 4, 37, 33), "c", random(7, 37, 1), "d", random(8, 1, 3, 1, 40)),
                Map.of("a", random(9, 2, 40, 24, 24), "b", random(10, 40, 24, 24), "c", random(11, 24, 24), "d", random(12, 2, 40, 24, 24)));
    }

    @Test
    void gemmWithAComputedBTransposesAndAddsItsBias() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[?,?], %b: f32[?,?], %c: f32[?]) -> (%x: f32[?,?], %y: f32[?,?], %z: f32[?,?]) {
                  opsets {"": 17}
                  %x: f32[?,?] = Gemm(%a, %b, %c) {transB = 1} name "nt"
                  %y: f32[?,?] = Gemm(%b, %a) {transA = 1} name "tn"
                  %z: f32[?,?] = Gemm(%a, %b, %c) {transA = 1, transB = 1, beta = 1.0} name "tt"
                }
                """);
        check(graph, "batched GEMM",
                Map.of("a", random(1, 11, 11), "b", random(2, 11, 11), "c", random(3, 11)),
                Map.of("a", random(4, 1, 1), "b", random(5, 1, 1), "c", random(6, 1)));
    }

    @Test
    void gemmsCBroadcastsPerRowAsAMatrixAndAsAScalar() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[?,?], %b: f32[?,?], %c: f32[?,?]) -> (%x: f32[?,?]) {
                  opsets {"": 17}
                  %x: f32[?,?] = Gemm(%a, %b, %c) name "gemm"
                }
                """);
        check(graph, "batched GEMM",
                Map.of("a", random(1, 7, 5), "b", random(2, 5, 9), "c", random(3, 7, 1)),
                Map.of("a", random(4, 7, 5), "b", random(5, 5, 9), "c", random(6, 7, 9)),
                Map.of("a", random(7, 7, 5), "b", random(8, 5, 9), "c", random(9, 1, 1)));
    }

    @Test
    void convTransposeWithStridesPaddingDilationAndBias() {
        String[] attrs = {
            "strides = [2, 2]",
            "strides = [2, 3], pads = [1, 0, 0, 2], dilations = [1, 2], output_padding = [1, 0]",
            "strides = [1, 1], pads = [1, 1, 1, 1]",
        };
        for (String a : attrs) {
            for (boolean withBias : new boolean[] {true, false}) {
                Graph graph = IrParser.parse("""
                        graph @main(%x: f32[?,5,?,?]) -> (%y: f32[?,?,?,?]) {
                          opsets {"": 17}
                          const %w: f32[5,6,3,2] = dense<[W]>
                          const %b: f32[6] = dense<[B]>
                          %y: f32[?,?,?,?] = ConvTranspose(%x, %w, OPTIONAL) {ATTRS} name "up"
                        }
                        """.replace("OPTIONAL", withBias ? "%b" : "_").replace("W", values(5 * 6 * 3 * 2, 1))
                        .replace("B", values(6, 2)).replace("ATTRS", a));
                check(graph, "col2im", Map.of("x", random(3, 2, 5, 7, 9)), Map.of("x", random(4, 1, 5, 1, 3)));
            }
        }
    }

    @Test
    void fusedConvTransposeAppliesItsActivationAndResidual() {
        String[] epilogues = {
            "activation = \"Relu\"",
            "activation = \"LeakyRelu\", activation_params = [0.1], residual = \"before_activation\"",
            "activation = \"Clip\", activation_params = [-0.2, 0.3], residual = \"after_activation\"",
        };
        for (String e : epilogues) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[?,3,?,?], %z: f32[?,4,?,?]) -> (%y: f32[?,4,?,?]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[3,4,2,2] = dense<[W]>
                      const %b: f32[4] = dense<[B]>
                      %y: f32[?,4,?,?] = kiln:FusedConvTranspose(%x, %w, %b, RESIDUAL) {strides = [2, 2], EPILOGUE} name "up"
                    }
                    """.replace("RESIDUAL", e.contains("residual") ? "%z" : "_").replace("EPILOGUE", e)
                    .replace("W", values(3 * 4 * 2 * 2, 5)).replace("B", values(4, 6)));
            check(graph, "col2im", Map.of("x", random(7, 2, 3, 5, 7), "z", random(8, 2, 4, 10, 14)));
        }
    }

    @Test
    void groupedConvTransposeAndOneDimensionalMatMulStayGeneric() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[1,4,3,3], %v: f32[4], %m: f32[4,4]) -> (%y: f32[1,4,3,3], %z: f32[4]) {
                  opsets {"": 17}
                  const %w: f32[4,2,1,1] = dense<[W]>
                  %y: f32[1,4,3,3] = ConvTranspose(%x, %w) {group = 2} name "grouped"
                  %z: f32[4] = MatMul(%v, %m) name "vector"
                }
                """.replace("W", values(8, 3)));
        for (var step : new CpuPlan(graph, new CpuContext(1, null)).steps()) assertTrue(step.describe().contains("generic"), step.describe());
    }
}
