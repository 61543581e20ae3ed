package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseVariadicKernelsTest {
    @Test
    void maxPropagatesNanAndBroadcasts() {
        Tensor a = Tensor.ofFloats(new long[] {3}, 1, Float.NaN, 5);
        Tensor b = Tensor.ofFloats(new long[] {1}, 2);
        Tensor c = Tensor.ofFloats(new long[] {2, 1}, 0, 4);
        Tensor y = OneNode.op("Max").run(a, b, c);
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new float[] {2, Float.NaN, 5, 4, Float.NaN, 5}, y.toFloats());
    }

    @Test
    void minOfUnsigned64IsUnsigned() {
        Tensor a = Tensor.ofLongs(DType.U64, new long[] {2}, -1, 3);
        Tensor b = Tensor.ofLongs(DType.U64, new long[] {2}, 7, -5);
        assertArrayEquals(new long[] {7, 3}, OneNode.op("Min").run(a, b).toLongs());
    }

    @Test
    void sumAndMeanOfOneOrMoreInputs() {
        Tensor a = Tensor.ofFloats(new long[] {2}, 1, 2);
        Tensor b = Tensor.ofFloats(new long[] {2}, 3, 6);
        assertArrayEquals(new float[] {4, 8}, OneNode.op("Sum").run(a, b).toFloats());
        assertArrayEquals(new float[] {2, 4}, OneNode.op("Mean").run(a, b).toFloats());
        assertArrayEquals(new float[] {1, 2}, OneNode.op("Mean").run(a).toFloats());
    }

    @Test
    void meanRejectsIntegers() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Mean").run(Tensor.ofLongs(DType.I32, new long[] {1}, 1)));
        assertEquals("node 'Mean_0' (Mean): input 0 has element type i32, which the op does not accept", e.getMessage());
    }
}
