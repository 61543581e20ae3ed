package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.f32;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.i64;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReductionKernelsTest {
    private static final Tensor X = f32(new long[] {2, 2}, 1, -2, 3, 4);

    private static double[] reduce(String op, Tensor x, long... axes) {
        return OneNode.op(op).attr("keepdims", Attribute.of(0L)).run(x, i64(axes)).toDoubles();
    }

    @Test
    void eachReductionAlongAnAxis() {
        assertArrayEquals(new double[] {4, 2}, reduce("ReduceSum", X, 0));
        assertArrayEquals(new double[] {-0.5, 3.5}, reduce("ReduceMean", X, 1));
        assertArrayEquals(new double[] {-2, 12}, reduce("ReduceProd", X, 1));
        assertArrayEquals(new double[] {3, 4}, reduce("ReduceMax", X, 0));
        assertArrayEquals(new double[] {1, -2}, reduce("ReduceMin", X, 0));
        assertArrayEquals(new double[] {3, 7}, reduce("ReduceL1", X, 1));
        assertArrayEquals(new double[] {Math.sqrt(5), 5}, reduce("ReduceL2", X, 1), 1e-6);
        assertArrayEquals(new double[] {5, 25}, reduce("ReduceSumSquare", X, 1));
        assertArrayEquals(new double[] {Math.log(4), Math.log(2)}, reduce("ReduceLogSum", X, 0), 1e-6);
        assertArrayEquals(new double[] {Math.log(Math.exp(1) + Math.exp(-2))}, reduce("ReduceLogSumExp", f32(new long[] {2}, 1, -2), 0), 1e-6);
    }

    @Test
    void axesAttributeBeforeOpset18AndEmptyAxes() {
        Tensor kept = OneNode.op("ReduceMean").opset(13).attr("axes", Attribute.ints(-1)).run(X);
        assertArrayEquals(new long[] {2, 1}, kept.shape());
        assertArrayEquals(new double[] {6}, OneNode.op("ReduceSum").attr("keepdims", Attribute.of(0L)).run(X).toDoubles());
        Tensor noop = OneNode.op("ReduceSum").attr("noop_with_empty_axes", Attribute.of(1L)).run(X, i64());
        assertArrayEquals(X.toDoubles(), noop.toDoubles());
    }

    @Test
    void emptySetsGiveIdentities() {
        Tensor empty = Tensor.zeros(DType.F32, 2, 0);
        assertArrayEquals(new double[] {0, 0}, reduce("ReduceSum", empty, 1));
        assertArrayEquals(new double[] {1, 1}, reduce("ReduceProd", empty, 1));
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, reduce("ReduceMax", empty, 1));
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, reduce("ReduceLogSumExp", empty, 1));
        Tensor ints = Tensor.zeros(DType.I32, 1, 0);
        assertArrayEquals(new long[] {Integer.MAX_VALUE}, OneNode.op("ReduceMin").attr("keepdims", Attribute.of(0L)).run(ints, i64(1)).toLongs());
    }

    @Test
    void integersAndBoolsStayExact() {
        Tensor big = Tensor.ofLongs(DType.I64, new long[] {2}, (1L << 60) + 1, 1);
        assertEquals((1L << 60) + 2, OneNode.op("ReduceSum").attr("keepdims", Attribute.of(0L)).run(big).getLong(0));
        Tensor bools = Tensor.ofLongs(DType.BOOL, new long[] {2}, 0, 1);
        assertEquals(1, OneNode.op("ReduceMax").run(bools).getLong(0));
        assertEquals(0, OneNode.op("ReduceMin").run(bools).getLong(0));
        assertThrows(InferenceException.class, () -> OneNode.op("ReduceSum").run(bools));
    }

    @Test
    void cumulativeSumsAndProducts() {
        Tensor x = f32(new long[] {4}, 1, 2, 3, 4);
        Tensor axis = Tensor.ofLongs(DType.I32, new long[0], 0);
        assertArrayEquals(new double[] {1, 3, 6, 10}, OneNode.op("CumSum").run(x, axis).toDoubles());
        assertArrayEquals(new double[] {0, 1, 3, 6}, OneNode.op("CumSum").attr("exclusive", Attribute.of(1L)).run(x, axis).toDoubles());
        assertArrayEquals(new double[] {9, 7, 4, 0},
                OneNode.op("CumSum").attr("exclusive", Attribute.of(1L)).attr("reverse", Attribute.of(1L)).run(x, axis).toDoubles());
        assertArrayEquals(new double[] {24, 24, 12, 4}, OneNode.op("CumProd").opset(26).attr("reverse", Attribute.of(1L)).run(x, axis).toDoubles());
        assertArrayEquals(new double[] {0, 1, 2, 3, 5, 7}, OneNode.op("CumSum").run(iota(2, 3), Tensor.ofLongs(DType.I64, new long[0], -2)).toDoubles());
    }

    @Test
    void determinantsOfABatch() {
        Tensor m = f32(new long[] {2, 2, 2}, 1, 2, 3, 4, 0, 1, 1, 0);
        assertArrayEquals(new double[] {-2, -1}, OneNode.op("Det").run(m).toDoubles(), 1e-6);
        assertThrows(InferenceException.class, () -> OneNode.op("Det").run(iota(2, 3)));
    }
}
