package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.f32;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.i64;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorCreationKernelsTest {
    @Test
    void shapeWindowAndSize() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new long[] {2, 3, 4}, OneNode.op("Shape").run(x).toLongs());
        assertArrayEquals(new long[] {3}, OneNode.op("Shape").attr("start", Attribute.of(1L)).attr("end", Attribute.of(-1L)).run(x).toLongs());
        assertArrayEquals(new long[] {}, OneNode.op("Shape").attr("start", Attribute.of(2L)).attr("end", Attribute.of(1L)).run(x).toLongs());
        assertArrayEquals(new long[] {2, 3, 4}, OneNode.op("Shape").attr("start", Attribute.of(-10L)).run(x).toLongs());
        Tensor size = OneNode.op("Size").run(x);
        assertEquals(0, size.rank());
        assertEquals(24, size.getLong(0));
    }

    @Test
    void constantFromEachValueAttribute() {
        assertArrayEquals(new long[] {1, 2}, OneNode.op("Constant").attr("value_ints", Attribute.ints(1, 2)).run().toLongs());
        assertEquals(2.5, OneNode.op("Constant").attr("value_float", Attribute.of(2.5f)).run().getDouble(0));
        assertThrows(InferenceException.class, () -> OneNode.op("Constant").run());
    }

    @Test
    void constantOfShapeFillsWithTheValue() {
        Tensor y = OneNode.op("ConstantOfShape").attr("value", Attribute.of(Tensor.ofLongs(DType.I32, new long[] {1}, 7))).run(i64(2, 2));
        assertEquals(DType.I32, y.dtype());
        assertArrayEquals(new long[] {7, 7, 7, 7}, y.toLongs());
        Tensor zeros = OneNode.op("ConstantOfShape").run(i64(0));
        assertEquals(DType.F32, zeros.dtype());
        assertEquals(0, zeros.size());
    }

    @Test
    void rangeCountsUpAndDown() {
        Tensor up = OneNode.op("Range").run(Tensor.scalar(DType.F32, 1), Tensor.scalar(DType.F32, 2), Tensor.scalar(DType.F32, 0.3));
        assertArrayEquals(new double[] {1, 1.3, 1.6, 1.9}, up.toDoubles(), 1e-6);
        Tensor down = OneNode.op("Range").run(Tensor.scalar(DType.I32, 10), Tensor.scalar(DType.I32, 4), Tensor.scalar(DType.I32, -3));
        assertArrayEquals(new long[] {10, 7}, down.toLongs());
        Tensor none = OneNode.op("Range").run(Tensor.scalar(DType.I64, 5), Tensor.scalar(DType.I64, 1), Tensor.scalar(DType.I64, 1));
        assertEquals(0, none.size());
        assertThrows(KilnException.class,
                () -> OneNode.op("Range").run(Tensor.scalar(DType.I64, 0), Tensor.scalar(DType.I64, 1), Tensor.scalar(DType.I64, 0)));
    }

    @Test
    void eyeLikeWithOffsetAndType() {
        Tensor y = OneNode.op("EyeLike").attr("k", Attribute.of(1L)).attr("dtype", Attribute.of((long) DType.I32.onnxCode()))
                .run(Tensor.zeros(DType.F32, 2, 3));
        assertEquals(DType.I32, y.dtype());
        assertArrayEquals(new long[] {0, 1, 0, 0, 0, 1}, y.toLongs());
    }

    @Test
    void oneHotWithAxisNegativeAndOutOfRangeIndices() {
        Tensor values = f32(new long[] {2}, 0, 5);
        Tensor y = OneNode.op("OneHot").attr("axis", Attribute.of(0L)).run(i64(1, -1, 7), Tensor.scalar(DType.F32, 3), values);
        assertArrayEquals(new long[] {3, 3}, y.shape());
        // column j is index j: 1 -> row 1, -1 -> row 2, 7 -> nothing
        assertArrayEquals(new double[] {0, 0, 0, 5, 0, 0, 0, 5, 0}, y.toDoubles());
    }

    @Test
    void triluKeepsTheChosenTriangle() {
        Tensor x = f32(new long[] {3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(new double[] {1, 2, 3, 0, 5, 6, 0, 0, 9}, OneNode.op("Trilu").run(x).toDoubles());
        assertArrayEquals(new double[] {1, 0, 0, 4, 5, 0, 7, 8, 9},
                OneNode.op("Trilu").attr("upper", Attribute.of(0L)).run(x).toDoubles());
        assertArrayEquals(new double[] {0, 0, 0, 4, 0, 0, 7, 8, 0},
                OneNode.op("Trilu").attr("upper", Attribute.of(0L)).run(x, Tensor.ofLongs(DType.I64, new long[0], -1)).toDoubles());
    }
}
