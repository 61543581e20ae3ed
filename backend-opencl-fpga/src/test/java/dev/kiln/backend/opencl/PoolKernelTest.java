package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void twoDimensionalPoolsReadThroughALineBufferUnlessItDoesNotFit() {
        List<KernelChoice> lines = Oracle.agree(graph("f32[1,2,9,9]", "MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]}"));
        // 5 output columns at stride 2 reach 4 * 2 + 2 + 1 = 11 padded columns.
        assertTrue(lines.getFirst().kernel().endsWith("input window: line buffer 3 rows x 11 columns __local"), lines.toString());
        List<KernelChoice> taps = Oracle.agree(graph("f32[1,2,9,9]", "AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]}"),
                r -> new RenderOptions(8, 64, Map.of()));
        assertTrue(taps.getFirst().kernel().endsWith("input window: __global per tap"), taps.toString());
    }

    @Test
    void globalPools() {
        Oracle.agree(graph("f32[2,3,5,4]", "GlobalAveragePool(%x)"));
        Oracle.agree(graph("f32[2,3,5,4]", "GlobalMaxPool(%x)"));
    }
}
