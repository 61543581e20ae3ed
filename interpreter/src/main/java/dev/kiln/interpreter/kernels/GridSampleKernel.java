package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ops.onnx.ResamplingOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/**
 * GridSample over any number of spatial dims (2-D images, 3-D volumes): each output point samples X at the
 * normalized coordinates the grid gives (last grid dim ordered x, y, z: innermost spatial dim first), with nearest,
 * linear or cubic interpolation. Interpolation is a product of per-axis taps; a tap past the edge reads zero, the
 * edge sample, or its mirror image, as padding_mode says.
 */
final class GridSampleKernel {
    private GridSampleKernel() {}

    private static final double CUBIC_A = -0.75;

    static List<RuntimeValue> gridSample(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor grid = ctx.input(1);
        int spatial = x.rank() - 2;
        long[] xs = x.shape();
        long[] gs = grid.shape();
        if (spatial < 1 || grid.rank() != x.rank() || gs[gs.length - 1] != spatial || gs[0] != xs[0]) {
            throw ctx.fail("X " + Shape.format(xs) + " and grid " + Shape.format(gs) + " do not match");
        }
        String mode = ResamplingOps.gridSampleMode(ctx.stringAttr("mode", null));
        if (mode == null) throw ctx.fail("unknown mode '" + ctx.stringAttr("mode", "") + "'");
        String padding = ctx.stringAttr("padding_mode", "zeros");
        if (!List.of("zeros", "border", "reflection").contains(padding)) throw ctx.fail("unknown padding_mode '" + padding + "'");
        boolean align = ctx.intAttr("align_corners", 0) != 0;
        long[] dims = Arrays.copyOfRange(xs, 2, xs.length);
        long[] outSpatial = Arrays.copyOfRange(gs, 1, gs.length - 1);
        long[] out = new long[x.rank()];
        out[0] = xs[0];
        out[1] = xs[1];
        System.arraycopy(outSpatial, 0, out, 2, spatial);
        int points = (int) Indexing.product(outSpatial);
        int image = (int) Indexing.product(dims);
        long[] strides = Indexing.strides(dims);
        double[] in = x.toDoubles();
        double[] g = grid.toDoubles();
        Tensor result = Tensor.zeros(x.dtype(), out);
        int[][] idx = new int[spatial][];
        double[][] w = new double[spatial][];
        for (int n = 0; n < xs[0]; n++) {
            for (int p = 0; p < points; p++) {
                for (int d = 0; d < spatial; d++) {
                    double coord = g[(n * points + p) * spatial + (spatial - 1 - d)];
                    axisTaps(denormalize(coord, dims[d], align), dims[d], mode, padding, align, d, idx, w);
                }
                for (int c = 0; c < xs[1]; c++) {
                    int base = (int) ((n * xs[1] + c) * image);
                    result.setDouble((int) ((n * xs[1] + c) * points + p), sample(in, base, strides, idx, w, 0, 0, 1));
                }
            }
        }
        return one(result);
    }

    /** Sum over the product of the per-axis taps; a tap index of -1 reads zero. */
    private static double sample(double[] in, int base, long[] strides, int[][] idx, double[][] w, int d, long offset, double weight) {
        if (d == idx.length) return weight * in[(int) (base + offset)];
        double sum = 0;
        for (int t = 0; t < idx[d].length; t++) {
            if (idx[d][t] < 0 || w[d][t] == 0) continue;
            sum += sample(in, base, strides, idx, w, d + 1, offset + idx[d][t] * strides[d], weight * w[d][t]);
        }
        return sum;
    }

    private static double denormalize(double v, long size, boolean align) {
        return align ? (v + 1) / 2 * (size - 1) : ((v + 1) * size - 1) / 2;
    }

    private static void axisTaps(double coord, long size, String mode, String padding, boolean align, int d,
                                 int[][] idx, double[][] w) {
        double lo = align ? 0 : -0.5;
        double hi = align ? size - 1 : size - 0.5;
        double xv = mode.equals("nearest") ? Math.rint(coord) : coord;
        if (xv < lo || xv > hi) {
            if (padding.equals("border")) xv = Math.max(0, Math.min(size - 1, xv));
            else if (padding.equals("reflection")) xv = reflect(xv, lo, hi);
        }
        switch (mode) {
            case "nearest" -> {
                idx[d] = new int[] {pixel((long) xv, size, padding, lo, hi)};
                w[d] = new double[] {1};
            }
            case "linear" -> {
                long x0 = (long) Math.floor(xv);
                double f = xv - x0;
                idx[d] = new int[] {pixel(x0, size, padding, lo, hi), pixel(x0 + 1, size, padding, lo, hi)};
                w[d] = new double[] {1 - f, f};
            }
            default -> {
                long x0 = (long) Math.floor(xv);
                double f = xv - x0;
                idx[d] = new int[4];
                w[d] = new double[4];
                for (int t = 0; t < 4; t++) {
                    idx[d][t] = pixel(x0 - 1 + t, size, padding, lo, hi);
                    w[d][t] = cubic(Math.abs(t - 1 - f));
                }
            }
        }
    }

    /** The sample an integer position reads under the padding mode, or -1 for zero. */
    private static int pixel(long i, long size, String padding, double lo, double hi) {
        if (i >= 0 && i < size) return (int) i;
        return switch (padding) {
            case "zeros" -> -1;
            case "border" -> (int) Math.max(0, Math.min(size - 1, i));
            default -> (int) Math.max(0, Math.min(size - 1, (long) reflect(i, lo, hi)));
        };
    }

    /** Mirrors {@code v} at the borders {@code lo} and {@code hi} until it lies between them. */
    private static double reflect(double v, double lo, double hi) {
        double range = hi - lo;
        if (range <= 0) return lo;
        if (v < lo) {
            double dx = lo - v;
            long flips = (long) (dx / range);
            double r = dx - flips * range;
            return flips % 2 == 0 ? lo + r : hi - r;
        }
        if (v > hi) {
            double dx = v - hi;
            long flips = (long) (dx / range);
            double r = dx - flips * range;
            return flips % 2 == 0 ? hi - r : lo + r;
        }
        return v;
    }

    private static double cubic(double d) {
        if (d <= 1) return ((CUBIC_A + 2) * d - (CUBIC_A + 3)) * d * d + 1;
        if (d < 2) return ((CUBIC_A * d - 5 * CUBIC_A) * d + 8 * CUBIC_A) * d - 4 * CUBIC_A;
        return 0;
    }
}
