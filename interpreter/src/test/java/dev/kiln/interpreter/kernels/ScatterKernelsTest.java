package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.TensorIndexingKernelsTest.indices;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.i64;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.f32;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.iota;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScatterKernelsTest {
    @Test
    void scatterElementsReplacesAndReduces() {
        Tensor data = f32(new long[] {1, 3}, 1, 2, 3);
        Tensor idx = indices(new long[] {1, 2}, 2, 2);
        Tensor upd = f32(new long[] {1, 2}, 10, 20);
        Tensor add = OneNode.op("ScatterElements").attr("axis", Attribute.of(1L)).attr("reduction", Attribute.of("add")).run(data, idx, upd);
        assertArrayEquals(new double[] {1, 2, 33}, add.toDoubles());
        Tensor max = OneNode.op("ScatterElements").attr("axis", Attribute.of(1L)).attr("reduction", Attribute.of("min")).run(data, idx, upd);
        assertArrayEquals(new double[] {1, 2, 3}, max.toDoubles());
        Tensor none = OneNode.op("Scatter").opset(10).attr("axis", Attribute.of(1L)).run(data, indices(new long[] {1, 1}, -3), f32(new long[] {1, 1}, 9));
        assertArrayEquals(new double[] {9, 2, 3}, none.toDoubles());
        assertThrows(KilnException.class, () -> OneNode.op("ScatterElements").run(data, indices(new long[] {1, 1}, 1), f32(new long[] {1, 1}, 9)));
    }

    @Test
    void scatterNdWritesSlicesAndMultiplies() {
        Tensor data = iota(2, 2);
        Tensor y = OneNode.op("ScatterND").run(data, indices(new long[] {1, 1}, 1), f32(new long[] {1, 2}, 7, 8));
        assertArrayEquals(new double[] {0, 1, 7, 8}, y.toDoubles());
        Tensor mul = OneNode.op("ScatterND").attr("reduction", Attribute.of("mul"))
                .run(data, indices(new long[] {2, 2}, 1, 1, 1, 1), f32(new long[] {2}, 2, 5));
        assertArrayEquals(new double[] {0, 1, 2, 30}, mul.toDoubles());
    }

    @Test
    void scatterNdOnIntegersAndStrings() {
        Tensor ints = Tensor.ofLongs(DType.I64, new long[] {3}, 1, 2, 3);
        Tensor y = OneNode.op("ScatterND").attr("reduction", Attribute.of("max"))
                .run(ints, indices(new long[] {1, 1}, 0), Tensor.ofLongs(DType.I64, new long[] {1}, 5));
        assertArrayEquals(new long[] {5, 2, 3}, y.toLongs());
        Tensor s = OneNode.op("ScatterND").run(Tensor.ofStrings(new long[] {2}, "a", "b"), indices(new long[] {1, 1}, 1),
                Tensor.ofStrings(new long[] {1}, "z"));
        assertArrayEquals(new String[] {"a", "z"}, s.toStrings());
    }

    @Test
    void tensorScatterLinearAndCircular() {
        Tensor cache = Tensor.zeros(DType.F32, 2, 3, 1);
        Tensor update = f32(new long[] {2, 2, 1}, 1, 2, 3, 4);
        Tensor linear = OneNode.op("TensorScatter").opset(24).run(cache, update, i64(0, 1));
        assertArrayEquals(new double[] {1, 2, 0, 0, 3, 4}, linear.toDoubles());
        Tensor circular = OneNode.op("TensorScatter").opset(24).attr("mode", Attribute.of("circular")).run(cache, update, i64(2, 1));
        assertArrayEquals(new double[] {2, 0, 1, 0, 3, 4}, circular.toDoubles());
        Tensor noIndices = OneNode.op("TensorScatter").opset(24).run(cache, update);
        assertArrayEquals(new double[] {1, 2, 0, 3, 4, 0}, noIndices.toDoubles());
        assertThrows(KilnException.class, () -> OneNode.op("TensorScatter").opset(24).run(cache, update, i64(2, 0)));
    }
}
