package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/** Resize, Upsample, GridSample and AffineGrid. */
public final class ResamplingKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Resize", ResizeKernel::resize,
                "Upsample", ResizeKernel::upsample,
                "GridSample", GridSampleKernel::gridSample,
                "AffineGrid", ResamplingKernels::affineGrid);
    }

    /**
     * The sampling grid of an affine transform: for each output point (in normalized coordinates, innermost
     * spatial dim first) the matrix theta applied to (x, y[, z], 1).
     */
    private static List<RuntimeValue> affineGrid(KernelContext ctx) {
        Tensor theta = ctx.input(0);
        long[] size = TensorKernelSupport.longs(ctx, 1, "size");
        if (!theta.dtype().isFloat()) throw ctx.fail("theta must be a floating-point tensor, got " + theta.dtype());
        if (size.length != 4 && size.length != 5) throw ctx.fail("size must have 4 or 5 values, got " + size.length);
        int spatial = size.length - 2;
        long n = size[0];
        long[] ts = theta.shape();
        if (ts.length != 3 || ts[0] != n || ts[1] != spatial || ts[2] != spatial + 1) {
            throw ctx.fail("theta must have shape [" + n + "," + spatial + "," + (spatial + 1) + "], got " + Shape.format(ts));
        }
        boolean align = ctx.intAttr("align_corners", 0) != 0;
        long[] out = new long[spatial + 2];
        out[0] = n;
        System.arraycopy(size, 2, out, 1, spatial);
        out[spatial + 1] = spatial;
        int points = 1;
        for (int d = 0; d < spatial; d++) points *= (int) size[2 + d];
        Tensor result = Tensor.zeros(theta.dtype(), out);
        double[] t = theta.toDoubles();
        double[] base = new double[spatial + 1];
        base[spatial] = 1;
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < points; p++) {
                int rest = p;
                // p enumerates (d, h, w) row-major; base[0] is x (along w), base[1] is y, base[2] is z
                for (int k = 0; k < spatial; k++) {
                    long dim = size[size.length - 1 - k];
                    base[k] = normalized(rest % dim, dim, align);
                    rest /= (int) dim;
                }
                for (int r = 0; r < spatial; r++) {
                    double v = 0;
                    for (int c = 0; c <= spatial; c++) v += t[(b * spatial + r) * (spatial + 1) + c] * base[c];
                    result.setDouble((b * points + p) * spatial + r, v);
                }
            }
        }
        return one(result);
    }

    /** The normalized coordinate in [-1, 1] of sample {@code i} of {@code n}. */
    private static double normalized(long i, long n, boolean align) {
        if (align) return n == 1 ? -1 : -1 + 2.0 * i / (n - 1);
        return (2.0 * i + 1) / n - 1;
    }
}
