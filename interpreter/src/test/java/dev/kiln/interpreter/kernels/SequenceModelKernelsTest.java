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

class SequenceModelKernelsTest {
    @Test
    void swiGluGatesTheValue() {
        Tensor a = Tensor.ofDoubles(DType.F32, new long[] {2}, 0, 2), b = Tensor.ofDoubles(DType.F32, new long[] {2}, 5, 3);
        Tensor y = OneNode.op("SwiGLU").opset(28).run(a, b);
        assertArrayEquals(new double[] {0, 2 / (1 + Math.exp(-2)) * 3}, y.toDoubles(), 1e-6);
    }

    @Test
    void causalConvUsesThePastState() {
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 2}, 1, 2);
        Tensor w = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 2}, 10, 1);
        Tensor past = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 1}, 3);
        List<RuntimeValue> out = OneNode.op("CausalConvWithState").opset(27).outputs(2).runValues(x, w, null, past);
        assertArrayEquals(new double[] {31, 12}, ((Tensor) out.get(0)).toDoubles(), 1e-6);
        assertArrayEquals(new double[] {2}, ((Tensor) out.get(1)).toDoubles(), 1e-6);
    }

    @Test
    void rotaryTurnsHalves() {
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 1, 2}, 1, 0);
        double angle = 0.5;
        Tensor cos = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 1}, Math.cos(angle));
        Tensor sin = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 1}, Math.sin(angle));
        Tensor y = OneNode.op("RotaryEmbedding").opset(23).run(x, cos, sin);
        assertArrayEquals(new double[] {Math.cos(angle), Math.sin(angle)}, y.toDoubles(), 1e-6);
    }

    @Test
    void linearAttentionAccumulatesOuterProducts() {
        Tensor q = Tensor.ofDoubles(DType.F32, new long[] {1, 2, 1}, 1, 1);
        Tensor k = Tensor.ofDoubles(DType.F32, new long[] {1, 2, 1}, 2, 3);
        Tensor v = Tensor.ofDoubles(DType.F32, new long[] {1, 2, 1}, 5, 7);
        List<RuntimeValue> out = OneNode.op("LinearAttention").opset(27).outputs(2)
                .attr("q_num_heads", Attribute.of(1L)).attr("kv_num_heads", Attribute.of(1L))
                .attr("update_rule", Attribute.of("linear")).runValues(q, k, v);
        assertArrayEquals(new double[] {10, 31}, ((Tensor) out.get(0)).toDoubles(), 1e-6);
        assertArrayEquals(new double[] {31}, ((Tensor) out.get(1)).toDoubles(), 1e-6);
    }

    @Test
    void gatedRulesNeedDecay() {
        Tensor x = Tensor.zeros(DType.F32, 1, 1, 1);
        assertThrows(InferenceException.class, () -> OneNode.op("LinearAttention").opset(27)
                .attr("q_num_heads", Attribute.of(1L)).attr("kv_num_heads", Attribute.of(1L))
                .attr("update_rule", Attribute.of("gated")).run(x, x, x));
    }
}
