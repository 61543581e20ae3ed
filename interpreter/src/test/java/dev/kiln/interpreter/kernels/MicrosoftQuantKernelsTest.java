package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.of;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected values worked by hand: dequantize, the float op, divide by the output scale, round half to even, add the zero point, saturate. */
class MicrosoftQuantKernelsTest {
    private static final String MS = "com.microsoft";

    @Test
    void qlinearAddRoundsHalfToEvenAndSaturates() {
        // A: (x - 0)·0.5 = 5, -10, 63.5, 1.5; B: (x - 2)·0.25 = 0.5, 0.5, 0.5, 0.75; sum / 0.5 = 11, -19, 128, 4.5
        Tensor y = OneNode.op(MS, "QLinearAdd").run(of(DType.I8, shape(4), 10, -20, 127, 3), f32(shape(), 0.5), of(DType.I8, shape(), 0),
                of(DType.I8, shape(4), 4, 4, 4, 5), f32(shape(), 0.25), of(DType.I8, shape(), 2), f32(shape(), 0.5), of(DType.I8, shape(), 10));
        assertEquals(DType.I8, y.dtype());
        assertArrayEquals(new long[] {21, -9, 127, 14}, y.toLongs()); // 128 + 10 saturates, 4.5 -> 4
    }

    @Test
    void qlinearMulBroadcastsUint8() {
        // A: (x - 8)·0.125 = -1, 0.25, 1.5, 30.875; B per column: (16, 0)·0.0625 = 1, 0; product / 0.25 + 100
        Tensor y = OneNode.op(MS, "QLinearMul").run(of(DType.U8, shape(2, 2), 0, 10, 20, 255), f32(shape(), 0.125), of(DType.U8, shape(), 8),
                of(DType.U8, shape(2), 16, 0), f32(shape(), 0.0625), of(DType.U8, shape(), 0), f32(shape(), 0.25), of(DType.U8, shape(), 100));
        assertArrayEquals(new long[] {2, 2}, y.shape());
        assertArrayEquals(new long[] {96, 100, 106, 100}, y.toLongs());
    }

    @Test
    void qlinearAddWithoutZeroPointsTakesZero() {
        Tensor y = OneNode.op(MS, "QLinearAdd").run(of(DType.U8, shape(2), 1, 3), f32(shape(), 1), null,
                of(DType.U8, shape(2), 2, 2), f32(shape(), 1), null, f32(shape(), 2));
        assertArrayEquals(new long[] {2, 2}, y.toLongs()); // 3/2 = 1.5 -> 2, 5/2 = 2.5 -> 2
    }

    @Test
    void qlinearConcatRequantizesEachInput() {
        // X1: (4 - 1)·0.5 = 1.5 -> 2, (-5 - 1)·0.5 = -3; X2: 100·2 = 200 saturates at 127
        Tensor y = OneNode.op(MS, "QLinearConcat").attr("axis", Attribute.of(1L)).run(f32(shape(), 1), of(DType.I8, shape(), 0),
                of(DType.I8, shape(1, 2), 4, -5), f32(shape(), 0.5), of(DType.I8, shape(), 1),
                of(DType.I8, shape(1, 1), 100), f32(shape(), 2), of(DType.I8, shape(), 0));
        assertArrayEquals(new long[] {1, 3}, y.shape());
        assertArrayEquals(new long[] {2, -3, 127}, y.toLongs());
    }

    @Test
    void qlinearAveragePoolAveragesTheDequantizedWindow() {
        // x = 1..9 dequantized (x - 1)·2 = 0, 2, ..., 16; 2×2 windows average 4, 6, 10, 12; / 4 = 1, 1.5, 2.5, 3
        Tensor x = of(DType.I8, shape(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor y = OneNode.op(MS, "QLinearAveragePool").attr("kernel_shape", Attribute.ints(2, 2))
                .run(x, f32(shape(), 2), of(DType.I8, shape(), 1), f32(shape(), 4), of(DType.I8, shape(), 0));
        assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new long[] {1, 2, 2, 3}, y.toLongs());
    }

    @Test
    void qlinearAveragePoolCountsPaddingWhenAsked() {
        // one 2×2 window over [[4]] padded at the end: 4/1 = 4 without the padding, 4/4 = 1 with it
        Tensor x = of(DType.U8, shape(1, 1, 1, 1), 4);
        OneNode pool = OneNode.op(MS, "QLinearAveragePool").attr("kernel_shape", Attribute.ints(2, 2))
                .attr("pads", Attribute.ints(0, 0, 1, 1));
        assertArrayEquals(new long[] {4}, pool.run(x, f32(shape(), 1), of(DType.U8, shape(), 0), f32(shape(), 1), of(DType.U8, shape(), 0)).toLongs());
        pool.attr("count_include_pad", Attribute.of(1L));
        assertArrayEquals(new long[] {1}, pool.run(x, f32(shape(), 1), of(DType.U8, shape(), 0), f32(shape(), 1), of(DType.U8, shape(), 0)).toLongs());
    }

    @Test
    void qlinearGlobalAveragePoolPerChannel() {
        // channel means 2.5 and 10.25 round to 2 and 10, plus the zero point 5
        Tensor x = of(DType.U8, shape(1, 2, 2, 2), 1, 2, 3, 4, 10, 10, 10, 11);
        Tensor y = OneNode.op(MS, "QLinearGlobalAveragePool")
                .run(x, f32(shape(), 1), of(DType.U8, shape(), 0), f32(shape(), 1), of(DType.U8, shape(), 5));
        assertArrayEquals(new long[] {1, 2, 1, 1}, y.shape());
        assertArrayEquals(new long[] {7, 15}, y.toLongs());
    }

    @Test
    void mixedTypesAndNhwcAreRejected() {
        assertThrows(InferenceException.class, () -> OneNode.op(MS, "QLinearAdd").run(of(DType.I8, shape(1), 1), f32(shape(), 1), of(DType.I8, shape(), 0),
                of(DType.U8, shape(1), 1), f32(shape(), 1), of(DType.U8, shape(), 0), f32(shape(), 1), of(DType.I8, shape(), 0)));
        assertThrows(InferenceException.class, () -> OneNode.op(MS, "QLinearGlobalAveragePool").attr("channels_last", Attribute.of(1L))
                .run(of(DType.U8, shape(1, 1, 1, 1), 1), f32(shape(), 1), of(DType.U8, shape(), 0), f32(shape(), 1), of(DType.U8, shape(), 0)));
    }
}
