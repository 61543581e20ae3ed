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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TensorOrderKernelsTest {
    @Test
    void argMaxAndArgMinWithTiesAndKeepdims() {
        Tensor x = f32(new long[] {2, 3}, 1, 5, 5, 2, 0, 0);
        assertArrayEquals(new long[] {1, 0}, OneNode.op("ArgMax").attr("axis", Attribute.of(1L)).attr("keepdims", Attribute.of(0L)).run(x).toLongs());
        Tensor last = OneNode.op("ArgMax").attr("axis", Attribute.of(1L)).attr("select_last_index", Attribute.of(1L)).run(x);
        assertArrayEquals(new long[] {2, 1}, last.shape());
        assertArrayEquals(new long[] {2, 0}, last.toLongs());
        assertArrayEquals(new long[] {0, 1, 1}, OneNode.op("ArgMin").run(x).toLongs());
        assertArrayEquals(new long[] {0, 2}, OneNode.op("ArgMin").attr("axis", Attribute.of(-1L)).attr("select_last_index", Attribute.of(1L)).run(x).toLongs());
    }

    @Test
    void topKKeepsTiesInIndexOrder() {
        Tensor x = f32(new long[] {5}, 3, 1, 3, 2, 1);
        List<RuntimeValue> largest = OneNode.op("TopK").outputs(2).runValues(x, i64(3));
        assertArrayEquals(new double[] {3, 3, 2}, ((Tensor) largest.get(0)).toDoubles());
        assertArrayEquals(new long[] {0, 2, 3}, ((Tensor) largest.get(1)).toLongs());
        List<RuntimeValue> smallest = OneNode.op("TopK").attr("largest", Attribute.of(0L)).outputs(2).runValues(x, i64(2));
        assertArrayEquals(new long[] {1, 4}, ((Tensor) smallest.get(1)).toLongs());
        List<RuntimeValue> old = OneNode.op("TopK").opset(9).attr("k", Attribute.of(1L)).outputs(2).runValues(x);
        assertArrayEquals(new long[] {0}, ((Tensor) old.get(1)).toLongs());
        assertThrows(KilnException.class, () -> OneNode.op("TopK").outputs(2).runValues(x, i64(6)));
    }

    @Test
    void topKComparesUnsignedValuesAsUnsigned() {
        Tensor x = Tensor.ofLongs(DType.U64, new long[] {3}, 1, -1, 2);
        List<RuntimeValue> top = OneNode.op("TopK").outputs(2).runValues(x, i64(1));
        assertArrayEquals(new long[] {1}, ((Tensor) top.get(1)).toLongs());
    }

    @Test
    void uniqueSortedAndInFirstOccurrenceOrder() {
        Tensor x = f32(new long[] {6}, 2, 1, 1, 3, 4, 3);
        List<RuntimeValue> sorted = OneNode.op("Unique").outputs(4).runValues(x);
        assertArrayEquals(new double[] {1, 2, 3, 4}, ((Tensor) sorted.get(0)).toDoubles());
        assertArrayEquals(new long[] {1, 0, 3, 4}, ((Tensor) sorted.get(1)).toLongs());
        assertArrayEquals(new long[] {1, 0, 0, 2, 3, 2}, ((Tensor) sorted.get(2)).toLongs());
        assertArrayEquals(new long[] {2, 1, 2, 1}, ((Tensor) sorted.get(3)).toLongs());
        List<RuntimeValue> unsorted = OneNode.op("Unique").attr("sorted", Attribute.of(0L)).outputs(4).runValues(x);
        assertArrayEquals(new double[] {2, 1, 3, 4}, ((Tensor) unsorted.get(0)).toDoubles());
        assertArrayEquals(new long[] {0, 1, 1, 2, 3, 2}, ((Tensor) unsorted.get(2)).toLongs());
    }

    @Test
    void uniqueAlongAnAxisComparesWholeSlices() {
        Tensor x = f32(new long[] {3, 2}, 1, 0, 0, 1, 1, 0);
        List<RuntimeValue> out = OneNode.op("Unique").attr("axis", Attribute.of(0L)).outputs(4).runValues(x);
        assertArrayEquals(new long[] {2, 2}, ((Tensor) out.get(0)).shape());
        assertArrayEquals(new double[] {0, 1, 1, 0}, ((Tensor) out.get(0)).toDoubles());
        assertArrayEquals(new long[] {1, 0, 1}, ((Tensor) out.get(2)).toLongs());
        assertArrayEquals(new long[] {1, 2}, ((Tensor) out.get(3)).toLongs());
    }
}
