package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorLayoutKernelsTest {
    static Tensor f32(long[] shape, double... v) { return Tensor.ofDoubles(DType.F32, shape, v); }

    static Tensor i64(long... v) { return Tensor.ofLongs(DType.I64, new long[] {v.length}, v); }

    static Tensor iota(long... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, i);
        return t;
    }

    @Test
    void reshapeCopiesZeroDimsAndInfersMinusOne() {
        Tensor y = OneNode.op("Reshape").run(iota(2, 3, 4), i64(0, -1));
        assertArrayEquals(new long[] {2, 12}, y.shape());
        assertArrayEquals(iota(2, 3, 4).toDoubles(), y.toDoubles());
    }

    @Test
    void reshapeWithAllowZeroKeepsLiteralZero() {
        Tensor y = OneNode.op("Reshape").attr("allowzero", Attribute.of(1L)).run(Tensor.zeros(DType.F32, 0, 3), i64(3, 0));
        assertArrayEquals(new long[] {3, 0}, y.shape());
    }

    @Test
    void reshapeRejectsAMismatchedCount() {
        assertThrows(KilnException.class, () -> OneNode.op("Reshape").run(iota(2, 3), i64(4, 2)));
    }

    @Test
    void transposeDefaultReversesAxes() {
        Tensor y = OneNode.op("Transpose").run(iota(2, 3));
        assertArrayEquals(new long[] {3, 2}, y.shape());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, y.toDoubles());
        Tensor z = OneNode.op("Transpose").attr("perm", Attribute.ints(1, 2, 0)).run(iota(2, 1, 2));
        assertArrayEquals(new long[] {1, 2, 2}, z.shape());
        assertArrayEquals(new double[] {0, 2, 1, 3}, z.toDoubles());
    }

    @Test
    void squeezeAndUnsqueezeInBothOpsetForms() {
        Tensor x = iota(1, 3, 1);
        assertArrayEquals(new long[] {3}, OneNode.op("Squeeze").run(x).shape());
        assertArrayEquals(new long[] {3, 1}, OneNode.op("Squeeze").opset(11).attr("axes", Attribute.ints(0)).run(x).shape());
        assertArrayEquals(new long[] {1, 3}, OneNode.op("Squeeze").run(x, i64(-1)).shape());
        assertArrayEquals(new long[] {1, 1, 3, 1, 1}, OneNode.op("Unsqueeze").run(x, i64(4, 0)).shape());
        assertArrayEquals(new long[] {1, 3, 1, 1}, OneNode.op("Unsqueeze").opset(11).attr("axes", Attribute.ints(-1)).run(x).shape());
        assertThrows(KilnException.class, () -> OneNode.op("Squeeze").run(x, i64(1)));
    }

    @Test
    void flattenSplitsAtTheAxis() {
        assertArrayEquals(new long[] {6, 4}, OneNode.op("Flatten").attr("axis", Attribute.of(2L)).run(iota(2, 3, 4)).shape());
        assertArrayEquals(new long[] {1, 24}, OneNode.op("Flatten").attr("axis", Attribute.of(0L)).run(iota(2, 3, 4)).shape());
        assertArrayEquals(new long[] {6, 4}, OneNode.op("Flatten").attr("axis", Attribute.of(-1L)).run(iota(2, 3, 4)).shape());
    }

    @Test
    void expandBroadcastsBothWays() {
        Tensor y = OneNode.op("Expand").run(f32(new long[] {3, 1}, 1, 2, 3), i64(2, 1, 2));
        assertArrayEquals(new long[] {2, 3, 2}, y.shape());
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, y.toDoubles());
        assertThrows(KilnException.class, () -> OneNode.op("Expand").run(iota(3), i64(2)));
    }

    @Test
    void tileRepeatsEachAxis() {
        Tensor y = OneNode.op("Tile").run(f32(new long[] {2}, 1, 2), i64(3));
        assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2}, y.toDoubles());
        Tensor z = OneNode.op("Tile").run(iota(1, 2), i64(2, 1));
        assertArrayEquals(new double[] {0, 1, 0, 1}, z.toDoubles());
        Tensor one = Tensor.ofLongs(DType.I64, new long[0], 1);
        Tensor tileOne = OneNode.op("Tile").opset(1).run(iota(2, 1), Tensor.ofLongs(DType.I64, new long[0], 2), one);
        assertArrayEquals(new long[] {2, 2}, tileOne.shape());
        assertArrayEquals(new double[] {0, 0, 1, 1}, tileOne.toDoubles());
    }

    @Test
    void depthToSpaceModesAndInverse() {
        Tensor x = iota(1, 4, 1, 1);
        Tensor dcr = OneNode.op("DepthToSpace").attr("blocksize", Attribute.of(2L)).run(x);
        assertArrayEquals(new long[] {1, 1, 2, 2}, dcr.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3}, dcr.toDoubles());
        Tensor x8 = iota(1, 8, 1, 1);
        Tensor crd = OneNode.op("DepthToSpace").attr("blocksize", Attribute.of(2L)).attr("mode", Attribute.of("CRD")).run(x8);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, crd.toDoubles());
        Tensor dcr8 = OneNode.op("DepthToSpace").attr("blocksize", Attribute.of(2L)).run(x8);
        assertArrayEquals(new double[] {0, 2, 4, 6, 1, 3, 5, 7}, dcr8.toDoubles());
        Tensor back = OneNode.op("SpaceToDepth").attr("blocksize", Attribute.of(2L)).run(dcr8);
        assertArrayEquals(x8.toDoubles(), back.toDoubles());
    }
}
