package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttentionKernelsTest {
    private static Tensor t4(long s, long d, double... v) { return Tensor.ofDoubles(DType.F32, new long[] {1, 1, s, d}, v); }

    @Test
    void softmaxWeightsTheValues() {
        // One query [1, 0] against keys [1, 0] and [0, 0], scale 1: scores 1 and 0.
        Tensor q = t4(1, 2, 1, 0), k = t4(2, 2, 1, 0, 0, 0), v = t4(2, 2, 10, 0, 0, 10);
        Tensor y = OneNode.op("Attention").opset(23).attr("scale", Attribute.of(1f)).run(q, k, v);
        double p = Math.E / (Math.E + 1);
        assertArrayEquals(new double[] {10 * p, 10 * (1 - p)}, y.toDoubles(), 1e-5);
    }

    @Test
    void causalMaskHidesLaterKeysAndPastIsPrepended() {
        Tensor q = t4(2, 1, 0, 0), k = t4(2, 1, 0, 0), v = t4(2, 1, 2, 4);
        Tensor y = OneNode.op("Attention").opset(23).attr("is_causal", Attribute.of(1L)).run(q, k, v);
        assertArrayEquals(new double[] {2, 3}, y.toDoubles(), 1e-6);

        Tensor past = t4(1, 1, 0), pastV = t4(1, 1, 6);
        List<RuntimeValue> out = OneNode.op("Attention").opset(23).outputs(3).attr("is_causal", Attribute.of(1L))
                .runValues(q, k, v, null, past, pastV);
        assertArrayEquals(new double[] {4, 4}, ((Tensor) out.get(0)).toDoubles(), 1e-6);
        assertArrayEquals(new double[] {6, 2, 4}, ((Tensor) out.get(2)).toDoubles(), 1e-6);
    }

    @Test
    void fullyMaskedRowGivesZerosNotNaN() {
        Tensor q = t4(1, 1, 1), k = t4(2, 1, 1, 1), v = t4(2, 1, 5, 7);
        Tensor mask = Tensor.ofLongs(DType.BOOL, new long[] {1, 2}, 0, 0);
        Tensor y = OneNode.op("Attention").opset(23).run(q, k, v, mask);
        assertArrayEquals(new double[] {0}, y.toDoubles(), 0);
    }

    @Test
    void flexAttentionMatchesAttentionAndRunsItsScoreMod() {
        Tensor q = t4(1, 2, 1, 0), k = t4(2, 2, 1, 0, 0, 0), v = t4(2, 2, 10, 0, 0, 10);
        Tensor expected = OneNode.op("Attention").opset(23).run(q, k, v);
        dev.kiln.ir.TensorType scores = dev.kiln.ir.TensorType.of(DType.F32, 1, 1, 1, 2);
        dev.kiln.ir.Value s = new dev.kiln.ir.Value("s", scores);
        dev.kiln.ir.Graph identity = new dev.kiln.ir.Graph("mod", List.of(s), List.of(s), List.of(), java.util.Map.of(), java.util.Map.of("", 26));
        Tensor y = OneNode.op("ai.onnx.preview", "FlexAttention").opset(1).attr("score_mod", Attribute.of(identity)).run(q, k, v);
        assertArrayEquals(expected.toDoubles(), y.toDoubles(), 1e-6);
    }

    @Test
    void threeDimensionalInputNeedsHeadCounts() {
        Tensor x = Tensor.zeros(DType.F32, 1, 2, 4);
        assertThrows(InferenceException.class, () -> OneNode.op("Attention").opset(23).run(x, x, x));
    }
}
