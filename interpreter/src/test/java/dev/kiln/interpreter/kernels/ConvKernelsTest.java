package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.iota;
import static dev.kiln.interpreter.kernels.NnTestTensors.of;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvKernelsTest {
    private static Tensor ones(long... shape) {
        double[] v = new double[Tensor.checkedSize(shape)];
        java.util.Arrays.fill(v, 1);
        return f32(shape, v);
    }

    @Test
    void convSumsWindowsWithPaddingAndBias() {
        // 3x3 image 0..8, 2x2 kernel of ones, pads 1 at the end only: every output sums its in-image taps
        Tensor y = OneNode.op("Conv").attr("pads", Attribute.ints(0, 0, 1, 1))
                .run(iota(1, 1, 3, 3), ones(1, 1, 2, 2), f32(shape(1), 10));
        assertTensor(y, shape(1, 1, 3, 3), 18, 22, 17, 30, 34, 23, 23, 25, 18);
    }

    @Test
    void stridedDilatedConvMatchesHandSums() {
        // 1-D: x = 0..6, kernel [1, 2] dilated by 2, stride 2 -> y[o] = x[2o] + 2 x[2o + 2]
        Tensor y = OneNode.op("Conv").attr("strides", Attribute.ints(2)).attr("dilations", Attribute.ints(2))
                .run(iota(1, 1, 7), f32(shape(1, 1, 2), 1, 2));
        assertTensor(y, shape(1, 1, 3), 4, 10, 16);
    }

    @Test
    void groupedConvKeepsChannelsApart() {
        // two groups of one channel each; kernel 1x1 scales channel 0 by 2 and channel 1 by 3
        Tensor y = OneNode.op("Conv").attr("group", Attribute.of(2L))
                .run(iota(1, 2, 1, 2), f32(shape(2, 1, 1, 1), 2, 3));
        assertTensor(y, shape(1, 2, 1, 2), 0, 2, 6, 9);
    }

    @Test
    void sameUpperPadsSoOutputIsInputOverStride() {
        Tensor y = OneNode.op("Conv").attr("auto_pad", Attribute.of("SAME_UPPER")).attr("strides", Attribute.ints(2))
                .run(iota(1, 1, 5), ones(1, 1, 3));
        // total pad 2 split 1/1: windows centred on 0, 2, 4
        assertTensor(y, shape(1, 1, 3), 1, 6, 7);
    }

    @Test
    void convIntegerSubtractsZeroPointsPerOutputChannel() {
        Tensor x = of(DType.U8, shape(1, 1, 2, 2), 2, 3, 4, 5);
        Tensor w = of(DType.U8, shape(2, 1, 1, 1), 1, 3);
        Tensor y = OneNode.op("ConvInteger").run(x, w, of(DType.U8, shape(), 1), of(DType.U8, shape(2), 0, 1));
        assertEquals(DType.I32, y.dtype());
        assertTensor(y, shape(1, 2, 2, 2), 1, 2, 3, 4, 2, 4, 6, 8);
    }

    @Test
    void convTransposeSpreadsEachInputOverTheKernel() {
        // x = [1, 2], kernel [1, 1, 1], stride 2: [1, 1, 1+2, 2, 2]
        Tensor y = OneNode.op("ConvTranspose").attr("strides", Attribute.ints(2))
                .run(f32(shape(1, 1, 2), 1, 2), ones(1, 1, 3));
        assertTensor(y, shape(1, 1, 5), 1, 1, 3, 2, 2);
    }

    @Test
    void convTransposeOutputShapeDerivesPads() {
        Tensor y = OneNode.op("ConvTranspose").attr("strides", Attribute.ints(2)).attr("output_shape", Attribute.ints(6))
                .run(f32(shape(1, 1, 2), 1, 2), ones(1, 2, 3));
        assertTensor(y, shape(1, 2, 6), 1, 1, 3, 2, 2, 0, 1, 1, 3, 2, 2, 0);
    }

    @Test
    void col2imAddsOverlappingBlocks() {
        // image 1x3, blocks 1x2 at positions 0 and 1: columns [[a0, b0], [a1, b1]] -> [a0, a1 + b0, b1]
        Tensor cols = f32(shape(1, 2, 2), 1, 10, 2, 20);
        Tensor y = OneNode.op("Col2Im").run(cols, of(DType.I64, shape(2), 1, 3), of(DType.I64, shape(2), 1, 2));
        assertTensor(y, shape(1, 1, 1, 3), 1, 12, 20);
    }

    @Test
    void deformConvWithZeroOffsetsIsConv() {
        Tensor x = iota(1, 1, 3, 3);
        Tensor w = ones(1, 1, 2, 2);
        Tensor offset = f32(shape(1, 8, 2, 2), new double[32]);
        Tensor y = OneNode.op("DeformConv").run(x, w, offset);
        assertTensor(y, shape(1, 1, 2, 2), 8, 12, 20, 24);
    }

    @Test
    void deformConvInterpolatesFractionalOffsets() {
        // a 1x1 kernel shifted right by half a pixel averages neighbours; past the edge it fades to zero
        Tensor offset = f32(shape(1, 2, 1, 2), 0, 0, 0.5, 0.5);
        Tensor y = OneNode.op("DeformConv").run(f32(shape(1, 1, 1, 2), 2, 4), ones(1, 1, 1, 1), offset);
        assertTensor(y, shape(1, 1, 1, 2), 3, 2);
    }

    @Test
    void qlinearConvRequantizes() {
        Tensor x = of(DType.U8, shape(1, 1, 1, 2), 10, 20);
        Tensor w = of(DType.U8, shape(1, 1, 1, 1), 3);
        Tensor y = OneNode.op("QLinearConv").run(x, f32(shape(), 0.5), of(DType.U8, shape(), 0), w, f32(shape(), 1),
                of(DType.U8, shape(), 1), f32(shape(), 2), of(DType.U8, shape(), 100));
        // (x - 0) * (3 - 1) * 0.5 * 1 / 2 + 100
        assertEquals(DType.U8, y.dtype());
        assertTensor(y, shape(1, 1, 1, 2), 105, 110);
    }

    @Test
    void channelMismatchIsAnInferenceError() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Conv").run(iota(1, 2, 3, 3), ones(1, 3, 1, 1)));
        assertEquals(true, e.getMessage().contains("Conv"), e.getMessage());
    }

    @Test
    void deformConvRejectsBadOffsetShape() {
        assertThrows(KilnException.class,
                () -> OneNode.op("DeformConv").run(iota(1, 1, 3, 3), ones(1, 1, 2, 2), f32(shape(1, 2, 2, 2), new double[8])));
    }
}
