package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/**
 * Grouped N-D convolution by im2col and {@link NnGemm}, shared by Conv, ConvInteger and QLinearConv. Works on
 * doubles (integer convolutions stay exact: their sums are far below 2^53). The column matrix is built a few
 * lines of output at a time so that large images do not need one huge buffer.
 */
final class ConvCore {
    /** Doubles per column tile; bounds the im2col buffer to 8 MB. */
    private static final int TILE_DOUBLES = 1 << 20;

    private ConvCore() {}

    /** Geometry of a Conv-like node for input X and weight W (kernel_shape attribute or W's spatial dims). */
    static ConvGeometry geometry(KernelContext ctx, Tensor x, Tensor w) {
        if (x.rank() < 3) throw ctx.fail("input must have rank >= 3 (N, C, spatial...), got " + x.type());
        if (w.rank() != x.rank()) throw ctx.fail("weight " + w.type() + " does not match input " + x.type());
        int spatial = x.rank() - 2;
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || kernel.length == 0) kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        if (kernel.length != spatial) throw ctx.fail("kernel_shape has " + kernel.length + " dims, input has " + spatial + " spatial dims");
        for (int i = 0; i < spatial; i++) {
            if (kernel[i] != w.dim(i + 2)) throw ctx.fail("kernel_shape " + Arrays.toString(kernel) + " does not match weight " + w.type());
        }
        try {
            return ConvGeometry.forward(Arrays.copyOfRange(x.shape(), 2, x.rank()), kernel, ctx::attr, false);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** The group attribute, checked against the channel counts of X and W. */
    static int group(KernelContext ctx, Tensor x, Tensor w) {
        long group = ctx.intAttr("group", 1);
        long c = x.dim(1);
        long m = w.dim(0);
        if (group < 1 || c % group != 0 || m % group != 0 || w.dim(1) * group != c) {
            throw ctx.fail("group " + group + " does not fit input channels " + c + " and weight " + w.type());
        }
        return (int) group;
    }

    /** Output shape {@code [N, M, out...]}. */
    static long[] outputShape(Tensor x, Tensor w, ConvGeometry g) {
        long[] shape = new long[x.rank()];
        shape[0] = x.dim(0);
        shape[1] = w.dim(0);
        System.arraycopy(g.output(), 0, shape, 2, g.rank());
        return shape;
    }

    /**
     * {@code y[n, m, o] = sum over c in m's group and kernel offsets q of w[m, c, q] * x[n, c, o*s - pb + q*d]}.
     * {@code x} is {@code [N, C, image...]} flat, {@code w} is {@code [M, C/group, kernel...]} flat.
     */
    static double[] convolve(double[] x, long[] xShape, double[] w, long m, ConvGeometry g, int group) {
        int batch = (int) xShape[0];
        int channels = (int) xShape[1];
        long[] image = Arrays.copyOfRange(xShape, 2, xShape.length);
        Im2Col cols = new Im2Col(image, g.output(), g.kernel(), g.strides(), g.dilations(), g.padsBegin());
        int cg = channels / group;
        int mg = (int) m / group;
        int k = cg * cols.kernelVolume();
        int positions = cols.positionVolume();
        int inVolume = cols.imageVolume();
        double[] y = new double[Math.multiplyExact(batch * (int) m, positions)];
        boolean pointwise = isPointwise(g);
        int line = cols.lineLength();
        int lines = positions / line;
        int linesPerTile = Math.max(1, Math.min(lines, TILE_DOUBLES / Math.max(1, k * line)));
        double[] col = pointwise ? null : new double[k * linesPerTile * line];
        for (int n = 0; n < batch; n++) {
            for (int gi = 0; gi < group; gi++) {
                int xOff = (n * channels + gi * cg) * inVolume;
                int yOff = (n * (int) m + gi * mg) * positions;
                int wOff = gi * mg * k;
                if (pointwise) {
                    NnGemm.multiply(mg, positions, k, w, wOff, k, x, xOff, inVolume, y, yOff, positions);
                    continue;
                }
                for (int l0 = 0; l0 < lines; l0 += linesPerTile) {
                    int l1 = Math.min(lines, l0 + linesPerTile);
                    int width = (l1 - l0) * line;
                    cols.gather(x, xOff, cg, l0, l1, col);
                    NnGemm.multiply(mg, width, k, w, wOff, k, col, 0, width, y, yOff + l0 * line, positions);
                }
            }
        }
        return y;
    }

    /** A 1x1 kernel with unit strides and no padding reads the image itself as its column matrix. */
    private static boolean isPointwise(ConvGeometry g) {
        for (int i = 0; i < g.rank(); i++) {
            if (g.kernel()[i] != 1 || g.strides()[i] != 1 || g.padsBegin()[i] != 0 || g.padsEnd()[i] != 0) return false;
        }
        return true;
    }

    /** Adds {@code bias[m]} to every output position of channel m. */
    static void addBias(double[] y, double[] bias, long batch, long m, int positions) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < m; c++) {
                int off = (int) ((n * m + c) * positions);
                double b = bias[c];
                for (int p = 0; p < positions; p++) y[off + p] += b;
            }
        }
    }
}
