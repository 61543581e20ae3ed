package dev.kiln.backend.opencl;

import org.junit.jupiter.api.Test;

/** Pooling kernels against the reference interpreter. */
class PoolKernelTest {
    private static String graph(String input, String node) {
        return "graph @g(%x: " + input + ") -> (%y: f32[*]) {\n  opsets {\"\": 19}\n  %y: f32[*] = " + node + " name \"pool\"\n}\n";
    }

    @Test
    void maxPoolWithPaddingCeilModeAndDilation() {
        Oracle.agree(graph("f32[2,3,7,7]", "MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1], ceil_mode = 1}"));
        Oracle.agree(graph("f32[1,2,8,8]", "MaxPool(%x) {kernel_shape = [2, 2], dilations = [2, 2]}"));
        Oracle.agree(graph("f32[1,2,4,5,6]", "MaxPool(%x) {kernel_shape = [2, 2, 3], strides = [2, 1, 2]}"));
    }

    @Test
    void averagePoolCountsPaddingOnlyWhenAsked() {
        Oracle.agree(graph("f32[1,3,6,6]", "AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]}"));
        Oracle.agree(graph("f32[1,3,6,6]", "AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], count_include_pad = 1}"));
        Oracle.agree(graph("f32[1,3,7,7]", "AveragePool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1], ceil_mode = 1, count_include_pad = 1}"));
        Oracle.agree(graph("f32[1,2,9]", "AveragePool(%x) {kernel_shape = [3], auto_pad = \"SAME_UPPER\", strides = [2]}"));
    }

    @Test
    void globalPools() {
        Oracle.agree(graph("f32[2,3,5,4]", "GlobalAveragePool(%x)"));
        Oracle.agree(graph("f32[2,3,5,4]", "GlobalMaxPool(%x)"));
    }
}
