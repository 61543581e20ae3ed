package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseLogicKernelsTest {
    @Test
    void equalComparesStringsWithBroadcasting() {
        Tensor a = Tensor.ofStrings(new long[] {2, 2}, "a", "b", "c", "a");
        Tensor b = Tensor.ofStrings(new long[] {1}, "a");
        Tensor y = OneNode.op("Equal").run(a, b);
        assertEquals(DType.BOOL, y.dtype());
        assertArrayEquals(new long[] {1, 0, 0, 1}, y.toLongs());
    }

    @Test
    void nanIsNeitherEqualNorOrdered() {
        Tensor a = Tensor.ofFloats(new long[] {2}, Float.NaN, 1);
        Tensor b = Tensor.ofFloats(new long[] {2}, Float.NaN, Float.NaN);
        assertArrayEquals(new long[] {0, 0}, OneNode.op("Equal").run(a, b).toLongs());
        assertArrayEquals(new long[] {0, 0}, OneNode.op("GreaterOrEqual").run(a, b).toLongs());
        assertArrayEquals(new long[] {0, 0}, OneNode.op("Less").run(a, b).toLongs());
    }

    @Test
    void unsigned64ComparesUnsigned() {
        Tensor a = Tensor.ofLongs(DType.U64, new long[] {2}, -1, 1); // 2^64 - 1 and 1
        Tensor b = Tensor.ofLongs(DType.U64, new long[] {2}, 1, -1);
        assertArrayEquals(new long[] {1, 0}, OneNode.op("Greater").run(a, b).toLongs());
    }

    @Test
    void logicalOps() {
        Tensor a = Tensor.ofLongs(DType.BOOL, new long[] {4}, 0, 0, 1, 1);
        Tensor b = Tensor.ofLongs(DType.BOOL, new long[] {4}, 0, 1, 0, 1);
        assertArrayEquals(new long[] {0, 0, 0, 1}, OneNode.op("And").run(a, b).toLongs());
        assertArrayEquals(new long[] {0, 1, 1, 1}, OneNode.op("Or").run(a, b).toLongs());
        assertArrayEquals(new long[] {0, 1, 1, 0}, OneNode.op("Xor").run(a, b).toLongs());
    }

    @Test
    void whereBroadcastsAllThreeInputsAndCarriesAnyType() {
        Tensor cond = Tensor.ofLongs(DType.BOOL, new long[] {2, 1}, 1, 0);
        Tensor x = Tensor.ofStrings(new long[] {2}, "x0", "x1");
        Tensor y = Tensor.ofStrings(new long[] {1}, "y");
        Tensor r = OneNode.op("Where").run(cond, x, y);
        assertArrayEquals(new String[] {"x0", "x1", "y", "y"}, r.toStrings());
        Tensor halves = OneNode.op("Where").run(cond, Tensor.ofDoubles(DType.F16, new long[] {1}, 1.5), Tensor.ofDoubles(DType.F16, new long[] {1}, -2));
        assertArrayEquals(new double[] {1.5, -2}, halves.toDoubles());
    }

    @Test
    void whereNeedsABoolCondition() {
        InferenceException e = assertThrows(InferenceException.class, () -> OneNode.op("Where").run(
                Tensor.ofFloats(new long[] {1}, 1), Tensor.ofFloats(new long[] {1}, 1), Tensor.ofFloats(new long[] {1}, 2)));
        assertEquals("node 'Where_0' (Where): input 0 has element type f32, which the op does not accept", e.getMessage());
    }
}
