package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.f32;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.i64;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorSliceKernelsTest {
    @Test
    void concatJoinsAlongTheAxis() {
        Tensor y = OneNode.op("Concat").attr("axis", Attribute.of(1L)).run(iota(2, 1), f32(new long[] {2, 2}, 7, 8, 9, 10));
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {0, 7, 8, 1, 9, 10}, y.toDoubles());
    }

    @Test
    void concatWorksOnStrings() {
        Tensor a = Tensor.ofStrings(new long[] {1}, "a");
        Tensor b = Tensor.ofStrings(new long[] {2}, "b", "c");
        Tensor y = OneNode.op("Concat").attr("axis", Attribute.of(0L)).run(a, b);
        assertArrayEquals(new String[] {"a", "b", "c"}, y.toStrings());
    }

    @Test
    void concatRejectsMismatchedDims() {
        assertThrows(RuntimeException.class, () -> OneNode.op("Concat").attr("axis", Attribute.of(0L)).run(iota(1, 2), iota(1, 3)));
    }

    @Test
    void splitByNumOutputsLeavesTheLastPartSmaller() {
        List<RuntimeValue> parts = OneNode.op("Split").opset(18).attr("num_outputs", Attribute.of(3L)).outputs(3).runValues(iota(7));
        assertArrayEquals(new double[] {0, 1, 2}, ((Tensor) parts.get(0)).toDoubles());
        assertArrayEquals(new double[] {3, 4, 5}, ((Tensor) parts.get(1)).toDoubles());
        assertArrayEquals(new double[] {6}, ((Tensor) parts.get(2)).toDoubles());
    }

    @Test
    void splitBySizesInInputAndAttributeForms() {
        List<RuntimeValue> parts = OneNode.op("Split").attr("axis", Attribute.of(1L)).outputs(2).runValues(iota(2, 3), i64(1, 2));
        assertArrayEquals(new double[] {0, 3}, ((Tensor) parts.get(0)).toDoubles());
        assertArrayEquals(new double[] {1, 2, 4, 5}, ((Tensor) parts.get(1)).toDoubles());
        List<RuntimeValue> old = OneNode.op("Split").opset(11).attr("split", Attribute.ints(2, 1)).outputs(2).runValues(iota(3));
        assertArrayEquals(new double[] {2}, ((Tensor) old.get(1)).toDoubles());
    }

    @Test
    void sliceClampsAndStepsBackwards() {
        Tensor x = iota(5);
        Tensor y = OneNode.op("Slice").run(x, i64(-1), i64(Long.MIN_VALUE), i64(0), i64(-2));
        assertArrayEquals(new double[] {4, 2, 0}, y.toDoubles());
        Tensor z = OneNode.op("Slice").run(x, i64(1), i64(1000));
        assertArrayEquals(new double[] {1, 2, 3, 4}, z.toDoubles());
        Tensor old = OneNode.op("Slice").opset(9).attr("starts", Attribute.ints(1)).attr("ends", Attribute.ints(3))
                .attr("axes", Attribute.ints(1)).run(iota(2, 4));
        assertArrayEquals(new double[] {1, 2, 5, 6}, old.toDoubles());
        assertThrows(KilnException.class, () -> OneNode.op("Slice").run(x, i64(0), i64(2), i64(0), i64(0)));
    }

    @Test
    void padModes() {
        Tensor x = f32(new long[] {3}, 1, 2, 3);
        Tensor pads = i64(2, 2);
        assertArrayEquals(new double[] {9, 9, 1, 2, 3, 9, 9},
                OneNode.op("Pad").run(x, pads, Tensor.scalar(DType.F32, 9)).toDoubles());
        assertArrayEquals(new double[] {3, 2, 1, 2, 3, 2, 1},
                OneNode.op("Pad").attr("mode", Attribute.of("reflect")).run(x, pads).toDoubles());
        assertArrayEquals(new double[] {1, 1, 1, 2, 3, 3, 3},
                OneNode.op("Pad").attr("mode", Attribute.of("edge")).run(x, pads).toDoubles());
        assertArrayEquals(new double[] {2, 3, 1, 2, 3, 1, 2},
                OneNode.op("Pad").attr("mode", Attribute.of("wrap")).run(x, pads).toDoubles());
        assertArrayEquals(new double[] {2, 3, 0},
                OneNode.op("Pad").run(x, i64(-1, 1)).toDoubles());
    }

    @Test
    void padWithAxesAndOldAttributeForm() {
        Tensor y = OneNode.op("Pad").run(iota(2, 2), i64(1, 0), null, i64(-1));
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {0, 0, 1, 0, 2, 3}, y.toDoubles());
        Tensor old = OneNode.op("Pad").opset(2).attr("pads", Attribute.ints(0, 1, 0, 0)).attr("value", Attribute.of(5f)).run(iota(1, 1));
        assertArrayEquals(new double[] {5, 0}, old.toDoubles());
    }

    @Test
    void centerCropPadCentersBothWays() {
        Tensor y = OneNode.op("CenterCropPad").run(iota(5, 2), i64(3, 4));
        assertArrayEquals(new long[] {3, 4}, y.shape());
        assertArrayEquals(new double[] {0, 2, 3, 0, 0, 4, 5, 0, 0, 6, 7, 0}, y.toDoubles());
        assertEquals(3, OneNode.op("CenterCropPad").attr("axes", Attribute.ints(-1)).run(iota(2, 5), i64(3)).dim(1));
    }
}
