package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.iota;
import static dev.kiln.interpreter.kernels.NnTestTensors.of;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MatMulKernelsTest {
    @Test
    void gemmTransposesScalesAndBroadcastsC() {
        Tensor a = f32(shape(2, 1), 1, 2);     // transA -> [1, 2]
        Tensor b = f32(shape(2, 2), 1, 2, 3, 4); // transB -> [[1, 3], [2, 4]]
        Tensor y = OneNode.op("Gemm").attr("transA", Attribute.of(1L)).attr("transB", Attribute.of(1L))
                .attr("alpha", Attribute.of(2f)).attr("beta", Attribute.of(0.5f)).run(a, b, f32(shape(2), 10, 20));
        assertTensor(y, shape(1, 2), 2 * 5 + 5, 2 * 11 + 10);
    }

    @Test
    void matmulPromotesVectorsAndBroadcastsBatches() {
        Tensor a = iota(2, 1, 3);
        Tensor v = f32(shape(3), 1, 1, 1);
        assertTensor(OneNode.op("MatMul").run(a, v), shape(2, 1), 3, 12);
        Tensor b = iota(3, 2);
        assertTensor(OneNode.op("MatMul").run(a, b), shape(2, 1, 2), 10, 13, 28, 40);
        assertTensor(OneNode.op("MatMul").run(v, v), shape(), 3);
    }

    @Test
    void integerMatmulWrapsInItsType() {
        Tensor a = Tensor.ofLongs(DType.I32, shape(1, 1), Integer.MAX_VALUE);
        Tensor b = Tensor.ofLongs(DType.I32, shape(1, 1), 2);
        assertArrayEquals(new long[] {-2}, OneNode.op("MatMul").run(a, b).toLongs());
    }

    @Test
    void matmulIntegerSubtractsRowAndColumnZeroPoints() {
        Tensor a = of(DType.U8, shape(2, 2), 1, 2, 3, 4);
        Tensor b = of(DType.U8, shape(2, 1), 5, 6);
        Tensor y = OneNode.op("MatMulInteger").run(a, b, of(DType.U8, shape(2), 1, 3), of(DType.U8, shape(1), 5));
        assertEquals(DType.I32, y.dtype());
        assertTensor(y, shape(2, 1), 1, 1);
    }

    @Test
    void qlinearMatmulRequantizesWithSaturation() {
        Tensor a = of(DType.U8, shape(1, 2), 10, 20);
        Tensor b = of(DType.U8, shape(2, 1), 3, 4);
        Tensor y = OneNode.op("QLinearMatMul").run(a, f32(shape(), 1), of(DType.U8, shape(), 0), b, f32(shape(), 1),
                of(DType.U8, shape(), 0), f32(shape(), 0.5), of(DType.U8, shape(), 0));
        assertTensor(y, shape(1, 1), 220); // (30 + 80) / 0.5 = 220
        Tensor big = OneNode.op("QLinearMatMul").run(a, f32(shape(), 1), of(DType.U8, shape(), 0), b, f32(shape(), 1),
                of(DType.U8, shape(), 0), f32(shape(), 0.25), of(DType.U8, shape(), 0));
        assertTensor(big, shape(1, 1), 255);
    }

    @Test
    void einsumHandlesTracesTransposesAndEllipses() {
        Tensor m = iota(2, 2);
        assertTensor(OneNode.op("Einsum").attr("equation", Attribute.of("ii")).run(m), shape(), 3);
        assertTensor(OneNode.op("Einsum").attr("equation", Attribute.of("ij->ji")).run(m), shape(2, 2), 0, 2, 1, 3);
        assertTensor(OneNode.op("Einsum").attr("equation", Attribute.of("...ij,...jk")).run(iota(2, 1, 2), m),
                shape(2, 1, 2), 2, 3, 6, 11);
        assertTensor(OneNode.op("Einsum").attr("equation", Attribute.of("i,j->ij")).run(f32(shape(2), 1, 2), f32(shape(2), 3, 4)),
                shape(2, 2), 3, 4, 6, 8);
    }

    @Test
    void mismatchedInnerDimsFailInference() {
        assertThrows(InferenceException.class, () -> OneNode.op("MatMul").run(iota(2, 3), iota(2, 3)));
        assertThrows(InferenceException.class, () -> OneNode.op("Einsum").attr("equation", Attribute.of("ij,jk"))
                .run(iota(2, 3), iota(2, 3)));
    }
}
