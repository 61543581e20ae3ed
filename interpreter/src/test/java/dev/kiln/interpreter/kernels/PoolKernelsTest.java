package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.i64;
import static dev.kiln.interpreter.kernels.NnTestTensors.iota;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolKernelsTest {
    @Test
    void maxPoolReportsFlatIndicesInBothStorageOrders() {
        Tensor x = f32(shape(1, 1, 2, 3), 1, 9, 2, 8, 3, 7);
        List<RuntimeValue> rowMajor = OneNode.op("MaxPool").attr("kernel_shape", Attribute.ints(2, 2)).outputs(2).runValues(x);
        assertTensor((Tensor) rowMajor.get(0), shape(1, 1, 1, 2), 9, 9);
        assertArrayEquals(new long[] {1, 1}, ((Tensor) rowMajor.get(1)).toLongs());
        List<RuntimeValue> columnMajor = OneNode.op("MaxPool").attr("kernel_shape", Attribute.ints(2, 2))
                .attr("storage_order", Attribute.of(1L)).outputs(2).runValues(x);
        // (h=0, w=1) in a 2-row plane is 0 + 1 * 2
        assertArrayEquals(new long[] {2, 2}, ((Tensor) columnMajor.get(1)).toLongs());
    }

    @Test
    void ceilModeDropsWindowsStartingInThePadding() {
        Tensor y = OneNode.op("MaxPool").attr("kernel_shape", Attribute.ints(2)).attr("strides", Attribute.ints(2))
                .attr("ceil_mode", Attribute.of(1L)).run(iota(1, 1, 5));
        assertTensor(y, shape(1, 1, 3), 1, 3, 4);
    }

    @Test
    void averagePoolCountsPaddingOnlyWhenAsked() {
        Tensor x = f32(shape(1, 1, 2), 2, 4);
        Tensor excluded = OneNode.op("AveragePool").attr("kernel_shape", Attribute.ints(2)).attr("pads", Attribute.ints(1, 1)).run(x);
        assertTensor(excluded, shape(1, 1, 3), 2, 3, 4);
        Tensor included = OneNode.op("AveragePool").attr("kernel_shape", Attribute.ints(2)).attr("pads", Attribute.ints(1, 1))
                .attr("count_include_pad", Attribute.of(1L)).run(x);
        assertTensor(included, shape(1, 1, 3), 1, 3, 2);
    }

    @Test
    void lpPoolTakesThePNorm() {
        Tensor y = OneNode.op("LpPool").attr("kernel_shape", Attribute.ints(2)).run(f32(shape(1, 1, 2), 3, -4));
        assertTensor(y, shape(1, 1, 1), 5);
    }

    @Test
    void lpPoolOpset1TakesAFloatP() {
        Tensor y = OneNode.op("LpPool").opset(1).attr("kernel_shape", Attribute.ints(2)).attr("p", Attribute.of(1f))
                .run(f32(shape(1, 1, 2), 3, -4));
        assertTensor(y, shape(1, 1, 1), 7);
    }

    @Test
    void globalPoolsReduceEverySpatialDim() {
        Tensor x = f32(shape(1, 2, 2), 1, 3, -2, 4);
        assertTensor(OneNode.op("GlobalAveragePool").run(x), shape(1, 2, 1), 2, 1);
        assertTensor(OneNode.op("GlobalMaxPool").run(x), shape(1, 2, 1), 3, 4);
        assertTensor(OneNode.op("GlobalLpPool").attr("p", Attribute.of(1L)).run(x), shape(1, 2, 1), 4, 6);
    }

    @Test
    void maxUnpoolScattersToTheIndices() {
        Tensor y = OneNode.op("MaxUnpool").attr("kernel_shape", Attribute.ints(2)).attr("strides", Attribute.ints(2))
                .run(f32(shape(1, 1, 2), 5, 6), i64(shape(1, 1, 2), 1, 2));
        assertTensor(y, shape(1, 1, 4), 0, 5, 6, 0);
    }

    @Test
    void maxRoiPoolTakesBinMaxima() {
        Tensor x = iota(1, 1, 4, 4);
        Tensor rois = f32(shape(1, 5), 0, 0, 0, 3, 3);
        Tensor y = OneNode.op("MaxRoiPool").attr("pooled_shape", Attribute.ints(2, 2)).run(x, rois);
        assertTensor(y, shape(1, 1, 2, 2), 5, 7, 13, 15);
    }

    @Test
    void roiAlignAveragesBilinearSamples() {
        // a linear ramp is reproduced exactly by bilinear sampling: the bin centre's value
        Tensor x = iota(1, 1, 4, 4);
        Tensor rois = f32(shape(1, 4), 0, 0, 2, 2);
        Tensor y = OneNode.op("RoiAlign").attr("output_height", Attribute.of(1L)).attr("output_width", Attribute.of(1L))
                .attr("sampling_ratio", Attribute.of(2L)).run(x, rois, i64(shape(1), 0));
        // half_pixel: the roi spans [-0.5, 1.5] on both axes, centre (0.5, 0.5) -> 0.5 * 4 + 0.5
        assertTensor(y, shape(1, 1, 1, 1), 2.5);
    }

    @Test
    void maxPoolRejectsFloatOnlyTypesAndBadKernels() {
        assertThrows(InferenceException.class, () -> OneNode.op("MaxPool").attr("kernel_shape", Attribute.ints(2, 2))
                .run(iota(1, 1, 4)));
        assertThrows(InferenceException.class, () -> OneNode.op("AveragePool").attr("kernel_shape", Attribute.ints(2))
                .run(Tensor.ofLongs(DType.I32, shape(1, 1, 2), 1, 2)));
    }
}
