package dev.kiln.interpreter.kernels;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Small builders and checks for the nn kernel tests. */
final class NnTestTensors {
    private NnTestTensors() {}

    static long[] shape(long... dims) { return dims; }

    static Tensor f32(long[] shape, double... values) { return Tensor.ofDoubles(DType.F32, shape, values); }

    static Tensor i64(long[] shape, long... values) { return Tensor.ofLongs(DType.I64, shape, values); }

    static Tensor of(DType type, long[] shape, long... values) { return Tensor.ofLongs(type, shape, values); }

    /** A tensor of the given shape holding 0, 1, 2, ... */
    static Tensor iota(long... shape) {
        double[] v = new double[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return f32(shape, v);
    }

    static void assertTensor(Tensor actual, long[] shape, double... expected) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toDoubles(), 1e-5);
    }
}
