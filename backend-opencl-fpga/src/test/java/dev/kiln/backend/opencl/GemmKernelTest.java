package dev.kiln.backend.opencl;

import org.junit.jupiter.api.Test;

/** Gemm, kiln:FusedGemm and MatMul kernels against the reference interpreter. */
class GemmKernelTest {
    private static String graph(String inputs, String consts, String node) {
        return "graph @g(" + inputs + ") -> (%y: f32[*]) {\n  opsets {\"\": 17, \"kiln\": 1}\n" + consts
                + "  %y: f32[*] = " + node + " name \"gemm\"\n}\n";
    }

    @Test
    void gemmTransposesScalesAndBroadcastsC() {
        Oracle.agree(graph("%a: f32[5,3]", Oracle.constant("b", 4, 5) + Oracle.constant("c", 4),
                "Gemm(%a, %b, %c) {transA = 1, transB = 1, alpha = 0.5, beta = 2.0}"));
        Oracle.agree(graph("%a: f32[3,5], %c: f32[3,1]", Oracle.constant("b", 5, 4), "Gemm(%a, %b, %c)"));
        Oracle.agree(graph("%a: f32[3,5], %b: f32[5,4]", "", "Gemm(%a, %b)"));
    }

    @Test
    void fusedGemmAppliesItsActivation() {
        Oracle.agree(graph("%a: f32[2,6]", Oracle.constant("b", 3, 6) + Oracle.constant("c", 3),
                "kiln:FusedGemm(%a, %b, %c) {transB = 1, activation = \"LeakyRelu\", activation_params = [0.2]}"));
        Oracle.agree(graph("%a: f32[2,6]", Oracle.constant("b", 6, 3),
                "kiln:FusedGemm(%a, %b) {activation = \"Gelu\", activation_approximate = \"tanh\"}"));
    }

    @Test
    void matMulBroadcastsBatchesAndPromotesVectors() {
        Oracle.agree(graph("%a: f32[2,1,3,4], %b: f32[3,4,5]", "", "MatMul(%a, %b)"));
        Oracle.agree(graph("%a: f32[4], %b: f32[2,4,3]", "", "MatMul(%a, %b)"));
        Oracle.agree(graph("%a: f32[2,3,4], %b: f32[4]", "", "MatMul(%a, %b)"));
        Oracle.agree(graph("%a: f32[4], %b: f32[4]", "", "MatMul(%a, %b)"));
    }
}
