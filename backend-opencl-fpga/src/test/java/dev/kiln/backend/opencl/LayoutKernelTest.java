package dev.kiln.backend.opencl;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Softmax, Concat, Transpose, Pad, BatchNormalization and the buffer views against the reference interpreter. */
class LayoutKernelTest {
    private static String graph(int opset, String inputs, String consts, String node) {
        return "graph @g(" + inputs + ") -> (%y: f32[*]) {\n  opsets {\"\": " + opset + "}\n" + consts
                + "  %y: f32[*] = " + node + " name \"n\"\n}\n";
    }

    @Test
    void softmaxPerAxisAndFlattenedAsInOldOpsets() {
        Oracle.agree(graph(13, "%x: f32[2,3,4]", "", "Softmax(%x) {axis = 1}"));
        Oracle.agree(graph(11, "%x: f32[2,3,4]", "", "Softmax(%x) {axis = 1}"));
        Oracle.agree(graph(13, "%x: f32[2,3,4]", "", "LogSoftmax(%x)"));
    }

    @Test
    void concatAndTranspose() {
        Oracle.agree(graph(13, "%a: f32[2,1,3], %b: f32[2,4,3], %c: f32[2,2,3]", "", "Concat(%a, %b, %c) {axis = -2}"));
        Oracle.agree(graph(13, "%x: f32[2,3,4,5]", "", "Transpose(%x) {perm = [0, 2, 3, 1]}"));
        Oracle.agree(graph(13, "%x: f32[2,3,4]", "", "Transpose(%x)"));
    }

    @Test
    void padInEveryModeAndCropping() {
        Tensor pads = Tensor.ofLongs(DType.I64, new long[] {8}, 0, 1, 2, 3, 0, 2, 1, 3);
        for (String mode : List.of("constant", "reflect", "edge", "wrap")) {
            Oracle.agree(graph(19, "%x: f32[1,2,4,5], %pads: i64[8]", "", "Pad(%x, %pads) {mode = \"" + mode + "\"}"), Map.of("pads", pads));
        }
        Tensor crop = Tensor.ofLongs(DType.I64, new long[] {4}, -1, 2, 0, -2);
        Oracle.agree(graph(13, "%x: f32[4,5], %pads: i64[4], %v: f32[]", "", "Pad(%x, %pads, %v)"), Map.of("pads", crop));
        Oracle.agree(graph(2, "%x: f32[3,3]", "", "Pad(%x) {pads = [1, 0, 0, 2], value = 1.5}"));
    }

    @Test
    void batchNormalizationInInferenceForm() {
        Oracle.agree(graph(15, "%x: f32[2,3,4,4], %mean: f32[3]", Oracle.constant("scale", 3) + Oracle.constant("bias", 3)
                + "  const %var: f32[3] = dense<[0.5, 1.5, 2.0]>\n", "BatchNormalization(%x, %scale, %bias, %mean, %var) {epsilon = 0.001}"));
    }

    @Test
    void reshapesAreBufferViewsWithoutKernels() {
        String text = "graph @g(%x: f32[2,3,4], %shape: i64[2]) -> (%y: f32[*]) {\n  opsets {\"\": 13}\n"
                + "  const %axes: i64[1] = dense<[0]>\n"
                + "  %r: f32[*] = Reshape(%x, %shape) name \"reshape\"\n  %f: f32[*] = Flatten(%r) {axis = 0} name \"flatten\"\n"
                + "  %s: f32[*] = Squeeze(%f, %axes) name \"squeeze\"\n  %u: f32[*] = Unsqueeze(%s, %axes) name \"unsqueeze\"\n"
                + "  %i: f32[*] = Identity(%u) name \"identity\"\n  %y: f32[*] = Relu(%i) name \"relu\"\n}\n";
        List<KernelChoice> kernels = Oracle.agree(text, Map.of("shape", Tensor.ofLongs(DType.I64, new long[] {2}, 4, -1)));
        assertEquals(5, kernels.stream().filter(k -> k.kernel().startsWith("buffer view")).count(), kernels.toString());
    }
}
