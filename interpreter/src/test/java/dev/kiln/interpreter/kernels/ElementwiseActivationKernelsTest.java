package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseActivationKernelsTest {
    private static Tensor floats(float... v) { return Tensor.ofFloats(new long[] {v.length}, v); }

    @Test
    void leakyReluUsesItsAlphaOrTheDefault() {
        assertArrayEquals(new float[] {-0.02f, 3}, OneNode.op("LeakyRelu").run(floats(-2, 3)).toFloats());
        assertArrayEquals(new float[] {-1, 3}, OneNode.op("LeakyRelu").attr("alpha", Attribute.of(0.5f)).run(floats(-2, 3)).toFloats());
    }

    @Test
    void geluExactAndTanhApproximation() {
        Tensor x = Tensor.ofDoubles(DType.F64, new long[] {2}, 1, -1);
        double[] exact = OneNode.op("Gelu").run(x).toDoubles();
        assertEquals(0.8413447460685429, exact[0], 1e-15);
        assertEquals(-0.15865525393145707, exact[1], 1e-15);
        double[] tanh = OneNode.op("Gelu").attr("approximate", Attribute.of("tanh")).run(x).toDoubles();
        assertEquals(0.8411919906082768, tanh[0], 1e-15);
    }

    @Test
    void geluRejectsAnUnknownApproximation() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Gelu").attr("approximate", Attribute.of("fast")).run(floats(1)));
        assertEquals("node 'Gelu_0' (Gelu): approximate must be 'none' or 'tanh', got 'fast'", e.getMessage());
    }

    @Test
    void clipTakesAttributesBeforeOpset11AndInputsFromIt() {
        Tensor x = floats(-3, 0.25f, 3);
        Tensor old = OneNode.op("Clip").opset(6).attr("min", Attribute.of(-1f)).attr("max", Attribute.of(1f)).run(x);
        assertArrayEquals(new float[] {-1, 0.25f, 1}, old.toFloats());
        Tensor onlyMax = OneNode.op("Clip").opset(13).run(x, null, Tensor.ofFloats(new long[0], 0));
        assertArrayEquals(new float[] {-3, 0, 0}, onlyMax.toFloats());
        Tensor crossed = OneNode.op("Clip").opset(13).run(x, Tensor.ofFloats(new long[0], 2), Tensor.ofFloats(new long[0], 1));
        assertArrayEquals(new float[] {1, 1, 1}, crossed.toFloats()); // min > max: everything becomes max
    }

    @Test
    void clipOnUnsigned64UsesUnsignedOrder() {
        Tensor x = Tensor.ofLongs(DType.U64, new long[] {3}, 1, 10, -1);
        Tensor y = OneNode.op("Clip").run(x, Tensor.ofLongs(DType.U64, new long[0], 5), null);
        assertArrayEquals(new long[] {5, 10, -1}, y.toLongs()); // 2^64 - 1 is above the minimum
    }

    @Test
    void preluBroadcastsSlopeAndBeforeOpset7AppliesItPerChannel() {
        Tensor x = Tensor.ofFloats(new long[] {1, 2, 2}, -1, -2, -3, 4);
        Tensor slope = Tensor.ofFloats(new long[] {2}, 0.5f, 0.25f);
        assertArrayEquals(new float[] {-0.5f, -0.5f, -1.5f, 4}, OneNode.op("PRelu").run(x, slope).toFloats());
        assertArrayEquals(new float[] {-0.5f, -1, -0.75f, 4}, OneNode.op("PRelu").opset(6).run(x, slope).toFloats());
    }

    @Test
    void seluAndHardSigmoidDefaults() {
        float[] selu = OneNode.op("Selu").run(floats(-1, 1)).toFloats();
        assertEquals(-1.1113307f, selu[0], 1e-6f);
        assertEquals(1.050701f, selu[1], 1e-6f);
        assertArrayEquals(new float[] {0, 0.5f, 1}, OneNode.op("HardSigmoid").run(floats(-5, 0, 5)).toFloats());
    }
}
