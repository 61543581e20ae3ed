package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * DeformConv: a convolution whose kernel taps are displaced by learned fractional offsets (sampled with
 * multilinear interpolation, zero outside the image) and scaled by an optional mask. Builds the deformed column
 * matrix per batch item and group, then multiplies by the weights.
 */
final class DeformConvKernel {
    private DeformConvKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        Tensor offset = ctx.input(2);
        ConvGeometry g = ConvCore.geometry(ctx, x, w);
        int group = ConvCore.group(ctx, x, w);
        long offsetGroup = ctx.intAttr("offset_group", 1);
        int r = g.rank();
        int batch = (int) x.dim(0);
        int channels = (int) x.dim(1);
        int m = (int) w.dim(0);
        int kernelVolume = g.kernelVolume();
        long[] image = java.util.Arrays.copyOfRange(x.shape(), 2, x.rank());
        int imageVolume = (int) Indexing.product(image);
        int positions = (int) Indexing.product(g.output());
        if (offsetGroup < 1 || channels % offsetGroup != 0) throw ctx.fail("offset_group " + offsetGroup + " does not divide " + channels + " channels");
        long[] offsetShape = ConvCore.outputShape(x, w, g);
        offsetShape[1] = offsetGroup * kernelVolume * r;
        if (!java.util.Arrays.equals(offset.shape(), offsetShape)) {
            throw ctx.fail("offset must have shape " + java.util.Arrays.toString(offsetShape) + ", got " + offset.type());
        }
        double[] mask = null;
        if (ctx.hasInput(4)) {
            Tensor mt = ctx.input(4);
            offsetShape[1] = offsetGroup * kernelVolume;
            if (!java.util.Arrays.equals(mt.shape(), offsetShape)) {
                throw ctx.fail("mask must have shape " + java.util.Arrays.toString(offsetShape) + ", got " + mt.type());
            }
            mask = mt.toDoubles();
        }
        double[] xs = x.toDoubles();
        double[] ws = w.toDoubles();
        double[] off = offset.toDoubles();
        int cg = channels / group;
        int mg = m / group;
        int channelsPerOffsetGroup = channels / (int) offsetGroup;
        int k = cg * kernelVolume;
        double[] y = new double[batch * m * positions];
        double[] col = new double[k * positions];
        long[] q = new long[r];
        long[] o = new long[r];
        double[] point = new double[r];
        for (int n = 0; n < batch; n++) {
            for (int gi = 0; gi < group; gi++) {
                for (int c = 0; c < cg; c++) {
                    int channel = gi * cg + c;
                    int og = channel / channelsPerOffsetGroup;
                    int plane = (n * channels + channel) * imageVolume;
                    for (int kp = 0; kp < kernelVolume; kp++) {
                        Indexing.unravel(kp, g.kernel(), q);
                        int row = (c * kernelVolume + kp) * positions;
                        int offBase = ((n * (int) offsetGroup + og) * kernelVolume + kp) * r;
                        int maskBase = (n * (int) offsetGroup + og) * kernelVolume + kp;
                        for (int p = 0; p < positions; p++) {
                            Indexing.unravel(p, g.output(), o);
                            for (int a = 0; a < r; a++) {
                                point[a] = o[a] * g.strides()[a] - g.padsBegin()[a] + q[a] * g.dilations()[a]
                                        + off[(offBase + a) * positions + p];
                            }
                            double v = interpolate(xs, plane, image, point);
                            col[row + p] = mask == null ? v : v * mask[maskBase * positions + p];
                        }
                    }
                }
                NnGemm.multiply(mg, positions, k, ws, gi * mg * k, k, col, 0, positions, y, (n * m + gi * mg) * positions, positions);
            }
        }
        if (ctx.hasInput(3)) ConvCore.addBias(y, NnTensors.perChannel(ctx, 3, m, 0, "B"), batch, m, positions);
        return List.of(NnTensors.of(x.dtype(), ConvCore.outputShape(x, w, g), y));
    }

    /** Multilinear interpolation of the image plane at {@code point}; corners outside the image count as zero. */
    static double interpolate(double[] data, int plane, long[] image, double[] point) {
        int r = image.length;
        for (int a = 0; a < r; a++) {
            if (!(point[a] > -1 && point[a] < image[a])) return 0;
        }
        double sum = 0;
        for (int corner = 0; corner < (1 << r); corner++) {
            double weight = 1;
            long index = 0;
            boolean inside = true;
            for (int a = 0; a < r; a++) {
                double lo = Math.floor(point[a]);
                long c = (long) lo + ((corner >> (r - 1 - a)) & 1);
                double frac = point[a] - lo;
                weight *= ((corner >> (r - 1 - a)) & 1) == 1 ? frac : 1 - frac;
                if (c < 0 || c >= image[a]) inside = false;
                index = index * image[a] + c;
            }
            if (inside && weight != 0) sum += weight * data[plane + (int) index];
        }
        return sum;
    }
}
