package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.f32;
import static dev.kiln.interpreter.kernels.TensorLayoutKernelsTest.i64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResamplingKernelsTest {
    private static final Tensor ROW = f32(new long[] {1, 1, 1, 2}, 1, 3);

    private static Tensor scales(double... s) { return Tensor.ofDoubles(DType.F32, new long[] {s.length}, s); }

    @Test
    void nearestUpsamplingModes() {
        Tensor y = OneNode.op("Resize").run(ROW, null, scales(1, 1, 1, 2));
        assertArrayEquals(new double[] {1, 1, 3, 3}, y.toDoubles());
        Tensor old = OneNode.op("Upsample").opset(9).run(ROW, scales(1, 1, 1, 3));
        assertArrayEquals(new double[] {1, 1, 1, 3, 3, 3}, old.toDoubles());
    }

    @Test
    void linearWithHalfPixelAndAlignCorners() {
        Tensor half = OneNode.op("Resize").attr("mode", Attribute.of("linear")).run(ROW, null, scales(1, 1, 1, 2));
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3}, half.toDoubles(), 1e-6);
        Tensor corners = OneNode.op("Resize").attr("mode", Attribute.of("linear"))
                .attr("coordinate_transformation_mode", Attribute.of("align_corners")).run(ROW, null, null, i64(1, 1, 1, 3));
        assertArrayEquals(new double[] {1, 2, 3}, corners.toDoubles(), 1e-6);
    }

    @Test
    void cubicWithAndWithoutOutsideSamples() {
        Tensor x = f32(new long[] {1, 1, 1, 4}, 1, 4, 2, 8);
        Tensor y = OneNode.op("Resize").attr("mode", Attribute.of("cubic"))
                .attr("coordinate_transformation_mode", Attribute.of("asymmetric")).run(x, null, scales(1, 1, 1, 2));
        // at 0.5 the taps (edge-repeated 1, 1, 4, 2) weigh -0.09375, 0.59375, 0.59375, -0.09375 (a = -0.75)
        assertArrayEquals(new double[] {1, 2.6875, 4}, java.util.Arrays.copyOf(y.toDoubles(), 3), 1e-6);
        Tensor excluded = OneNode.op("Resize").attr("mode", Attribute.of("cubic")).attr("exclude_outside", Attribute.of(1L))
                .attr("coordinate_transformation_mode", Attribute.of("asymmetric")).run(x, null, scales(1, 1, 1, 2));
        assertArrayEquals(new double[] {2.78125 / 1.09375}, new double[] {excluded.getDouble(1)}, 1e-6);
    }

    @Test
    void antialiasedLinearDownsamplingAverages() {
        Tensor x = f32(new long[] {1, 1, 1, 4}, 0, 4, 8, 12);
        Tensor y = OneNode.op("Resize").attr("mode", Attribute.of("linear")).attr("antialias", Attribute.of(1L))
                .run(x, null, scales(1, 1, 1, 0.5));
        // a tent of half-width 2 around 0.5 and 2.5, edge samples repeated: weights 1/8, 3/8, 3/8, 1/8
        assertArrayEquals(new double[] {1.5 + 1, 0.5 + 3 + 4.5 + 1.5}, y.toDoubles(), 1e-5);
    }

    @Test
    void sizesWithAxesAndAspectPolicy() {
        Tensor x = Tensor.zeros(DType.F32, 1, 1, 2, 4);
        Tensor y = OneNode.op("Resize").attr("axes", Attribute.ints(2, 3))
                .attr("keep_aspect_ratio_policy", Attribute.of("not_larger")).run(x, null, null, i64(1, 3));
        assertArrayEquals(new long[] {1, 1, 1, 2}, y.shape());
    }

    @Test
    void cropAndResizeExtrapolates() {
        Tensor roi = scales(0, 0, 0, 0.5, 1, 1, 1, 1.5);
        Tensor y = OneNode.op("Resize").attr("mode", Attribute.of("linear"))
                .attr("coordinate_transformation_mode", Attribute.of("tf_crop_and_resize"))
                .attr("extrapolation_value", Attribute.of(-1f)).run(ROW, roi, null, i64(1, 1, 1, 3));
        assertArrayEquals(new double[] {2, 3, -1}, y.toDoubles(), 1e-6);
    }

    @Test
    void resizeNeedsScalesOrSizes() {
        assertThrows(KilnException.class, () -> OneNode.op("Resize").run(ROW, null, scales(1, 1, 1, 2), i64(1, 1, 1, 4)));
    }

    @Test
    void gridSampleBilinearAndPadding() {
        Tensor x = f32(new long[] {1, 1, 1, 2}, 10, 20);
        Tensor grid = f32(new long[] {1, 1, 3, 2}, 0, 0, -1, 0, 1.5, 0);
        Tensor zeros = OneNode.op("GridSample").attr("align_corners", Attribute.of(1L)).run(x, grid);
        // x=0 -> between the samples; x=-1 -> the first; x=1.5 -> 1.25: 3/4 of 20 plus 1/4 of the zero past the edge
        assertArrayEquals(new double[] {15, 10, 15}, zeros.toDoubles(), 1e-5);
        Tensor border = OneNode.op("GridSample").attr("align_corners", Attribute.of(1L)).attr("padding_mode", Attribute.of("border")).run(x, grid);
        assertArrayEquals(new double[] {15, 10, 20}, border.toDoubles(), 1e-5);
        Tensor nearest = OneNode.op("GridSample").attr("mode", Attribute.of("nearest")).run(x, grid);
        assertArrayEquals(new double[] {10, 10, 0}, nearest.toDoubles(), 1e-5);
    }

    @Test
    void affineGridIdentityMatchesNormalizedCoordinates() {
        Tensor theta = f32(new long[] {1, 2, 3}, 1, 0, 0, 0, 1, 0);
        Tensor grid = OneNode.op("AffineGrid").run(theta, i64(1, 1, 1, 2));
        assertArrayEquals(new long[] {1, 1, 2, 2}, grid.shape());
        assertArrayEquals(new double[] {-0.5, 0, 0.5, 0}, grid.toDoubles(), 1e-6);
        Tensor aligned = OneNode.op("AffineGrid").attr("align_corners", Attribute.of(1L)).run(theta, i64(1, 1, 2, 2));
        assertArrayEquals(new double[] {-1, -1, 1, -1, -1, 1, 1, 1}, aligned.toDoubles(), 1e-6);
    }
}
