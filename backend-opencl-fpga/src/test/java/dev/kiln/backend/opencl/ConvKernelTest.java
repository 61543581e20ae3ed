package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv and kiln:FusedConv kernels against the reference interpreter. */
class ConvKernelTest {
    private static String conv(String inputs, String consts, String node) {
        return "graph @g(" + inputs + ") -> (%y: f32[*]) {\n  opsets {\"\": 17, \"kiln\": 1}\n" + consts
                + "  %y: f32[*] = " + node + " name \"conv\"\n}\n";
    }

    @Test
    void paddedStridedDilatedConvWithBias() {
        Oracle.agree(conv("%x: f32[2,3,9,9]", Oracle.constant("w", 4, 3, 3, 3) + Oracle.constant("b", 4),
                "Conv(%x, %w, %b) {pads = [1, 2, 0, 1], strides = [2, 1], dilations = [2, 2]}"));
    }

    @Test
    void groupedAndDepthwiseConv() {
        Oracle.agree(conv("%x: f32[1,4,6,6]", Oracle.constant("w", 6, 2, 3, 3), "Conv(%x, %w) {group = 2, pads = [1, 1, 1, 1]}"));
        Oracle.agree(conv("%x: f32[1,4,6,6]", Oracle.constant("w", 4, 1, 3, 3) + Oracle.constant("b", 4),
                "Conv(%x, %w, %b) {group = 4, strides = [2, 2], auto_pad = \"SAME_UPPER\"}"));
    }

    @Test
    void oneAndThreeSpatialDims() {
        Oracle.agree(conv("%x: f32[1,2,11]", Oracle.constant("w", 3, 2, 4), "Conv(%x, %w) {auto_pad = \"SAME_LOWER\"}"));
        Oracle.agree(conv("%x: f32[1,2,4,5,3]", Oracle.constant("w", 2, 2, 2, 3, 2), "Conv(%x, %w) {pads = [0, 1, 1, 1, 0, 0]}"));
    }

    @Test
    void fusedEpiloguesRunInsideTheKernel() {
        String consts = Oracle.constant("w", 3, 3, 3, 3) + Oracle.constant("b", 3);
        List<KernelChoice> before = Oracle.agree(conv("%x: f32[1,3,5,5], %z: f32[1,3,5,5]", consts,
                "kiln:FusedConv(%x, %w, %b, %z) {pads = [1, 1, 1, 1], activation = \"Relu\", residual = \"before_activation\"}"));
        assertTrue(before.getFirst().kernel().contains("+Relu +residual"), before.toString());
        Oracle.agree(conv("%x: f32[1,3,5,5], %z: f32[1,3,5,5]", consts, "kiln:FusedConv(%x, %w, %b, %z) {pads = [1, 1, 1, 1], "
                + "activation = \"Clip\", activation_params = [-0.5, 0.5], residual = \"after_activation\"}"));
        for (String act : List.of("\"LeakyRelu\", activation_params = [0.1]", "\"Sigmoid\"", "\"Tanh\"", "\"HardSwish\"", "\"Silu\"")) {
            Oracle.agree(conv("%x: f32[1,3,5,5]", consts, "kiln:FusedConv(%x, %w, %b) {activation = " + act + "}"));
        }
    }

    @Test
    void weightsGoOnChipOnlyWhenTheyFit() {
        List<KernelChoice> small = Oracle.agree(conv("%x: f32[1,3,5,5]", Oracle.constant("w", 4, 3, 3, 3), "Conv(%x, %w)"));
        assertTrue(small.getFirst().kernel().contains("weights __local"), small.toString());
        // 64 x 32 x 3 x 3 floats are 72 KiB, over the 32 KiB a layer may keep on chip.
        List<KernelChoice> large = Oracle.agree(conv("%x: f32[1,32,4,4]", Oracle.constant("w", 64, 32, 3, 3), "Conv(%x, %w)"));
        assertTrue(large.getFirst().kernel().contains("weights __global"), large.toString());
    }

    @Test
    void aTwoDimensionalConvReadsItsInputThroughALineBuffer() {
        List<KernelChoice> strided = Oracle.agree(conv("%x: f32[2,3,9,9]", Oracle.constant("w", 4, 3, 3, 3) + Oracle.constant("b", 4),
                "Conv(%x, %w, %b) {pads = [1, 2, 0, 1], strides = [2, 1], dilations = [2, 2]}"));
        // dilation 2 spans 5 rows; 8 output columns at stride 1 reach 7 + 2 * 2 + 1 = 12 padded columns.
        assertTrue(strided.getFirst().kernel().contains("line buffer 5 rows x 3 channels x 12 columns __local"), strided.toString());
        List<KernelChoice> oneByOne = Oracle.agree(conv("%x: f32[1,6,5,5]", Oracle.constant("w", 3, 6, 1, 1), "Conv(%x, %w) {strides = [2, 2]}"));
        assertTrue(oneByOne.getFirst().kernel().contains("line buffer 1 rows x 6 channels x 5 columns"), oneByOne.toString());
    }

    @Test
    void channelTilesAddPartialSumsAndTheLastAppliesTheEpilogue() {
        // 200 bytes hold 3 rows x 2 channels x 8 columns (192 bytes): 8 input channels in 4 tiles, 4 per group in 2.
        UnaryOperator<RenderOptions> small = r -> new RenderOptions(8, 200, Map.of());
        String consts = Oracle.constant("w", 4, 8, 3, 3) + Oracle.constant("b", 4);
        List<KernelChoice> tiled = Oracle.agree(conv("%x: f32[2,8,6,6], %z: f32[2,4,6,6]", consts,
                "kiln:FusedConv(%x, %w, %b, %z) {pads = [1, 1, 1, 1], activation = \"Relu\", residual = \"before_activation\"}"), small);
        assertTrue(tiled.getFirst().kernel().contains("3 rows x 2 channels x 8 columns __local, 4 channel tiles"), tiled.toString());
        List<KernelChoice> grouped = Oracle.agree(conv("%x: f32[1,8,6,6]", Oracle.constant("w", 6, 4, 3, 3) + Oracle.constant("b", 6),
                "Conv(%x, %w, %b) {group = 2, pads = [1, 1, 1, 1]}"), small);
        assertTrue(grouped.getFirst().kernel().contains("2 channel tiles"), grouped.toString());
    }

    @Test
    void withoutRoomForOneRowTheInputIsReadPerTap() {
        List<KernelChoice> taps = Oracle.agree(conv("%x: f32[1,2,6,6]", Oracle.constant("w", 2, 2, 3, 3), "Conv(%x, %w) {pads = [1, 1, 1, 1]}"),
                r -> new RenderOptions(8, 16, Map.of()));
        assertTrue(taps.getFirst().kernel().contains("input window: __global per tap"), taps.toString());
    }
}
