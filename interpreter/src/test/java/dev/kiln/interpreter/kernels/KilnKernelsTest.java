package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kiln-domain kernels agree with the ONNX ops they stand for. */
class KilnKernelsTest {
    private static Tensor random(Random r, long... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextDouble() * 2 - 1);
        return t;
    }

    /** [b, h, s, d] → [b, h, d, s]. */
    private static Tensor transposeLast(Tensor k) {
        long[] s = k.shape();
        int rows = (int) s[2], cols = (int) s[3];
        Tensor t = Tensor.zeros(k.dtype(), new long[] {s[0], s[1], cols, rows});
        for (int b = 0; b < k.size() / (rows * cols); b++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) t.setDouble(b * rows * cols + j * rows + i, k.getDouble(b * rows * cols + i * cols + j));
            }
        }
        return t;
    }

    @Test
    void attentionMatchesOnnxAttentionWithScaleAndMask() {
        Random r = new Random(5);
        Tensor q = random(r, 2, 3, 4, 8), k = random(r, 2, 3, 6, 8), v = random(r, 2, 3, 6, 5), mask = random(r, 4, 6);
        Tensor expected = OneNode.op("Attention").opset(23).attr("scale", Attribute.of(0.3f)).run(q, k, v, mask);
        Tensor y = OneNode.op("kiln", "Attention").opset(1).attr("scale", Attribute.of(0.3f)).run(q, transposeLast(k), v, mask);
        assertArrayEquals(expected.shape(), y.shape());
        assertArrayEquals(expected.toDoubles(), y.toDoubles(), 1e-6);
    }

    @Test
    void attentionRejectsMismatchedHeadDims() {
        Random r = new Random(1);
        InferenceException e = assertThrows(InferenceException.class, () -> OneNode.op("kiln", "Attention").opset(1)
                .attr("scale", Attribute.of(1f)).run(random(r, 1, 2, 3), random(r, 1, 4, 3), random(r, 1, 3, 2)));
        assertTrue(e.getMessage().contains("Q's last dim and Kt's rows"), e.getMessage());
    }

    @Test
    void geluAndLayerNormRunTheOnnxKernels() {
        Random r = new Random(2);
        Tensor x = random(r, 3, 4);
        for (String mode : List.of("none", "tanh")) {
            Tensor expected = OneNode.op("Gelu").opset(20).attr("approximate", Attribute.of(mode)).run(x);
            assertArrayEquals(expected.toDoubles(), OneNode.op("kiln", "Gelu").opset(1).attr("approximate", Attribute.of(mode)).run(x).toDoubles(), 0);
        }
        Tensor gamma = random(r, 4), beta = random(r, 4);
        Tensor expected = OneNode.op("LayerNormalization").opset(17).attr("epsilon", Attribute.of(1e-3f)).run(x, gamma, beta);
        Tensor y = OneNode.op("kiln", "LayerNormalization").opset(1).attr("epsilon", Attribute.of(1e-3f)).run(x, gamma, beta);
        assertArrayEquals(expected.toDoubles(), y.toDoubles(), 0);
    }

    @Test
    void fusedElementwiseEvaluatesItsBody() {
        TensorType type = TensorType.of(DType.F32, 2, 2);
        Value a = new Value("a", type), b = new Value("b", TensorType.of(DType.F32, 2)), s = new Value("s", type), out = new Value("o", type);
        Graph body = new Graph("body", List.of(a, b), List.of(out), List.of(
                new Node("sub", "", "Sub", List.of(a, b), List.of(s), Map.of()),
                new Node("relu", "", "Relu", List.of(s), List.of(out), Map.of())), Map.of(), Map.of("", 17));
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {2, 2}, 1, 2, 3, 4);
        Tensor y = Tensor.ofDoubles(DType.F32, new long[] {2}, 2, 2);
        Tensor z = OneNode.op("kiln", "FusedElementwise").opset(1).attr("body", Attribute.of(body)).run(x, y);
        assertArrayEquals(new double[] {0, 0, 1, 2}, z.toDoubles(), 0);
        assertThrows(InferenceException.class, () -> OneNode.op("kiln", "FusedElementwise").opset(1).attr("body", Attribute.of(body)).run(x));
    }
}
