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
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorIndexingKernelsTest {
    static Tensor indices(long[] shape, long... v) { return Tensor.ofLongs(DType.I64, shape, v); }

    @Test
    void gatherTakesWholeSlicesWithNegativeIndices() {
        Tensor y = OneNode.op("Gather").attr("axis", Attribute.of(1L)).run(iota(2, 3), indices(new long[] {2, 1}, -1, 0));
        assertArrayEquals(new long[] {2, 2, 1}, y.shape());
        assertArrayEquals(new double[] {2, 0, 5, 3}, y.toDoubles());
        assertThrows(KilnException.class, () -> OneNode.op("Gather").run(iota(2), i64(2)));
    }

    @Test
    void gatherElementsPicksAlongTheAxis() {
        Tensor y = OneNode.op("GatherElements").attr("axis", Attribute.of(1L))
                .run(f32(new long[] {2, 2}, 1, 2, 3, 4), indices(new long[] {2, 2}, 0, 0, 1, 0));
        assertArrayEquals(new double[] {1, 1, 4, 3}, y.toDoubles());
    }

    @Test
    void gatherNdWithBatchDims() {
        Tensor data = iota(2, 2, 2);
        Tensor y = OneNode.op("GatherND").attr("batch_dims", Attribute.of(1L)).run(data, indices(new long[] {2, 1}, 1, 0));
        assertArrayEquals(new long[] {2, 2}, y.shape());
        assertArrayEquals(new double[] {2, 3, 4, 5}, y.toDoubles());
        Tensor z = OneNode.op("GatherND").run(data, indices(new long[] {2, 3}, 0, 1, 1, 1, 0, 0));
        assertArrayEquals(new double[] {3, 4}, z.toDoubles());
        assertThrows(InferenceException.class, () -> OneNode.op("GatherND").run(data, Tensor.ofLongs(DType.I32, new long[] {1}, 0)));
    }

    @Test
    void nonZeroListsCoordinates() {
        Tensor y = OneNode.op("NonZero").run(f32(new long[] {2, 2}, 1, 0, 0, 3));
        assertArrayEquals(new long[] {2, 2}, y.shape());
        assertArrayEquals(new long[] {0, 1, 0, 1}, y.toLongs());
    }

    @Test
    void compressWithAndWithoutAxis() {
        Tensor cond = Tensor.ofLongs(DType.BOOL, new long[] {2}, 0, 1);
        Tensor y = OneNode.op("Compress").attr("axis", Attribute.of(0L)).run(iota(3, 2), cond);
        assertArrayEquals(new double[] {2, 3}, y.toDoubles());
        Tensor flat = OneNode.op("Compress").run(iota(3, 2), cond);
        assertArrayEquals(new double[] {1}, flat.toDoubles());
    }

    @Test
    void reverseSequenceReversesEachPrefix() {
        // time-major [3, 2]: batch 0 reverses 2 steps, batch 1 reverses 3
        Tensor y = OneNode.op("ReverseSequence").run(iota(3, 2), i64(2, 3));
        assertArrayEquals(new double[] {2, 5, 0, 3, 4, 1}, y.toDoubles());
    }
}
