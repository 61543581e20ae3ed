package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.of;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantizeKernelsTest {
    @Test
    void quantizeRoundsHalfToEvenThenSaturates() {
        Tensor y = OneNode.op("QuantizeLinear").run(f32(shape(5), 1, 3, 5, 1000, -1000), f32(shape(), 2), of(DType.U8, shape(), 10));
        assertEquals(DType.U8, y.dtype());
        assertArrayEquals(new long[] {10, 12, 12, 255, 0}, y.toLongs()); // 0.5 -> 0, 1.5 -> 2, 2.5 -> 2
    }

    @Test
    void quantizePerAxisAndBlocked() {
        Tensor x = f32(shape(2, 2), 2, 4, 6, 8);
        Tensor perAxis = OneNode.op("QuantizeLinear").attr("axis", Attribute.of(0L))
                .run(x, f32(shape(2), 1, 2), of(DType.I8, shape(2), 0, -1));
        assertArrayEquals(new long[] {2, 4, 2, 3}, perAxis.toLongs());
        Tensor blocked = OneNode.op("QuantizeLinear").attr("axis", Attribute.of(1L)).attr("block_size", Attribute.of(2L))
                .attr("output_dtype", Attribute.of((long) DType.I16.onnxCode())).run(x, f32(shape(2, 1), 2, 4));
        assertEquals(DType.I16, blocked.dtype());
        assertArrayEquals(new long[] {1, 2, 2, 2}, blocked.toLongs()); // 1.5 -> 2, 2 -> 2
    }

    @Test
    void quantizeToInt4AndFloat8() {
        Tensor i4 = OneNode.op("QuantizeLinear").run(f32(shape(3), 14, -20, 3), f32(shape(), 1), of(DType.I4, shape(), 0));
        assertArrayEquals(new long[] {7, -8, 3}, i4.toLongs());
        Tensor f8 = OneNode.op("QuantizeLinear").run(f32(shape(2), 1000, 3),
                f32(shape(), 1), Tensor.zeros(DType.F8E4M3FN, new long[0]));
        assertArrayEquals(new double[] {448, 3}, f8.toDoubles()); // saturates to the largest finite e4m3fn
    }

    @Test
    void dequantizePerTensorAndPerAxis() {
        Tensor y = OneNode.op("DequantizeLinear").run(of(DType.U8, shape(2), 0, 255), f32(shape(), 2), of(DType.U8, shape(), 128));
        assertTensor(y, shape(2), -256, 254);
        Tensor axis = OneNode.op("DequantizeLinear").attr("axis", Attribute.of(1L))
                .run(of(DType.I8, shape(1, 2), 3, 3), f32(shape(2), 1, 10), of(DType.I8, shape(2), 1, 2));
        assertTensor(axis, shape(1, 2), 2, 10);
    }

    @Test
    void dynamicQuantizeChoosesScaleAndZeroPoint() {
        List<RuntimeValue> out = OneNode.op("DynamicQuantizeLinear").outputs(3).runValues(f32(shape(3), -1, 0, 4));
        float scale = 5f / 255f;
        assertArrayEquals(new double[] {scale}, ((Tensor) out.get(1)).toDoubles(), 1e-9);
        assertArrayEquals(new long[] {51}, ((Tensor) out.get(2)).toLongs());
        assertArrayEquals(new long[] {0, 51, 255}, ((Tensor) out.get(0)).toLongs());
    }

    @Test
    void mismatchedScalesAreRejected() {
        assertThrows(KilnException.class, () -> OneNode.op("QuantizeLinear").attr("axis", Attribute.of(0L))
                .run(f32(shape(2, 2), 1, 2, 3, 4), f32(shape(3), 1, 1, 1)));
        assertThrows(InferenceException.class, () -> OneNode.op("DequantizeLinear").run(f32(shape(1), 1), f32(shape(), 1)));
    }
}
