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

class ElementwiseMathKernelsTest {
    private static Tensor floats(float... v) { return Tensor.ofFloats(new long[] {v.length}, v); }

    @Test
    void roundHalvesToEven() {
        Tensor y = OneNode.op("Round").run(floats(0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f));
        assertArrayEquals(new float[] {0, 2, 2, -0f, -2, 2}, y.toFloats());
    }

    @Test
    void erfMatchesKnownValues() {
        Tensor y = OneNode.op("Erf").run(Tensor.ofDoubles(DType.F64, new long[] {6}, 0, 0.5, 1, -2, 3, 1e-9));
        double[] expected = {0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999779095030014, 1.1283791670955126e-9};
        double[] got = y.toDoubles();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[i], Math.abs(expected[i]) * 1e-14);
    }

    @Test
    void absAndSignWorkOnIntegersInTheirOwnArithmetic() {
        Tensor abs = OneNode.op("Abs").run(Tensor.ofLongs(DType.I8, new long[] {3}, -5, 7, -128));
        assertArrayEquals(new long[] {5, 7, -128}, abs.toLongs()); // |-128| wraps in int8, as in NumPy
        Tensor sign = OneNode.op("Sign").run(Tensor.ofLongs(DType.U64, new long[] {3}, 0, 1, -1));
        assertArrayEquals(new long[] {0, 1, 1}, sign.toLongs()); // 2^64 - 1 is positive
    }

    @Test
    void isInfHonoursItsDetectFlags() {
        Tensor x = floats(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1);
        Tensor onlyNegative = OneNode.op("IsInf").attr("detect_positive", Attribute.of(0L)).run(x);
        assertEquals(DType.BOOL, onlyNegative.dtype());
        assertArrayEquals(new long[] {0, 1, 0, 0}, onlyNegative.toLongs());
        assertArrayEquals(new long[] {0, 0, 1, 0}, OneNode.op("IsNaN").run(x).toLongs());
    }

    @Test
    void notAndBitwiseNot() {
        assertArrayEquals(new long[] {1, 0}, OneNode.op("Not").run(Tensor.ofLongs(DType.BOOL, new long[] {2}, 0, 1)).toLongs());
        assertArrayEquals(new long[] {250, 255}, OneNode.op("BitwiseNot").run(Tensor.ofLongs(DType.U8, new long[] {2}, 5, 0)).toLongs());
    }

    @Test
    void hyperbolicInversesKeepPrecisionNearZeroAndForNegatives() {
        Tensor y = OneNode.op("Asinh").run(Tensor.ofDoubles(DType.F64, new long[] {2}, -1e-10, -2));
        assertEquals(-1e-10, y.getDouble(0), 1e-24);
        assertEquals(-1.4436354751788103, y.getDouble(1), 1e-15);
    }

    @Test
    void floatOnlyOpsRejectIntegers() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Sqrt").run(Tensor.ofLongs(DType.I32, new long[] {1}, 4)));
        assertEquals("node 'Sqrt_0' (Sqrt): input 0 has element type i32, which the op does not accept", e.getMessage());
    }
}
