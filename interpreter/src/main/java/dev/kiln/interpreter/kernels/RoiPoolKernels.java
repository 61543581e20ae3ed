package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/** Region-of-interest pooling over NCHW feature maps: MaxRoiPool (Caffe's ROI pooling) and RoiAlign. */
final class RoiPoolKernels {
    private RoiPoolKernels() {}

    /** rois are {@code [num, 5]} rows of (batch index, x1, y1, x2, y2) in input coordinates before spatial_scale. */
    static List<RuntimeValue> maxRoiPool(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor rois = ctx.input(1);
        if (x.rank() != 4 || rois.rank() != 2 || rois.dim(1) != 5) throw ctx.fail("need X [N,C,H,W] and rois [num,5], got " + x.type() + ", " + rois.type());
        long[] pooled = ctx.intsAttr("pooled_shape");
        if (pooled == null || pooled.length != 2) throw ctx.fail("pooled_shape must have 2 values");
        double scale = ctx.floatAttr("spatial_scale", 1f);
        int channels = (int) x.dim(1);
        int height = (int) x.dim(2);
        int width = (int) x.dim(3);
        int ph = (int) pooled[0];
        int pw = (int) pooled[1];
        int num = (int) rois.dim(0);
        double[] data = x.toDoubles();
        double[] r = rois.toDoubles();
        double[] y = new double[num * channels * ph * pw];
        for (int i = 0; i < num; i++) {
            int batch = (int) r[i * 5];
            if (batch < 0 || batch >= x.dim(0)) throw ctx.fail("roi " + i + " names batch " + batch + " of " + x.dim(0));
            long startW = roundHalfAway(r[i * 5 + 1] * scale);
            long startH = roundHalfAway(r[i * 5 + 2] * scale);
            long endW = roundHalfAway(r[i * 5 + 3] * scale);
            long endH = roundHalfAway(r[i * 5 + 4] * scale);
            double binH = Math.max(endH - startH + 1, 1) / (double) ph;
            double binW = Math.max(endW - startW + 1, 1) / (double) pw;
            for (int c = 0; c < channels; c++) {
                int plane = ((batch * channels) + c) * height * width;
                for (int py = 0; py < ph; py++) {
                    long h0 = clamp((long) Math.floor(py * binH) + startH, height);
                    long h1 = clamp((long) Math.ceil((py + 1) * binH) + startH, height);
                    for (int px = 0; px < pw; px++) {
                        long w0 = clamp((long) Math.floor(px * binW) + startW, width);
                        long w1 = clamp((long) Math.ceil((px + 1) * binW) + startW, width);
                        double best = h1 <= h0 || w1 <= w0 ? 0 : Double.NEGATIVE_INFINITY;
                        for (long h = h0; h < h1; h++) {
                            for (long w = w0; w < w1; w++) best = Math.max(best, data[plane + (int) (h * width + w)]);
                        }
                        y[((i * channels + c) * ph + py) * pw + px] = best;
                    }
                }
            }
        }
        return List.of(NnTensors.of(x.dtype(), new long[] {num, channels, ph, pw}, y));
    }

    private static long roundHalfAway(double v) { return (long) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5)); }

    private static long clamp(long v, long size) { return Math.min(Math.max(v, 0), size); }

    /**
     * Averages (or maxes) bilinear samples on a regular grid inside each output bin of each roi. Samples falling
     * outside the map count as zero; in max mode each sample is the largest of its four weighted corners, the
     * definition ONNX's reference (after onnxruntime) uses.
     */
    static List<RuntimeValue> roiAlign(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor rois = ctx.input(1);
        long[] batchIndex = ctx.input(2).toLongs();
        if (x.rank() != 4 || rois.rank() != 2 || rois.dim(1) != 4 || batchIndex.length != rois.dim(0)) {
            throw ctx.fail("need X [N,C,H,W], rois [num,4] and batch_indices [num], got " + x.type() + ", " + rois.type());
        }
        boolean max = ctx.stringAttr("mode", "avg").equals("max");
        // opset 10 had no such attribute and behaved as output_half_pixel does
        String defaultMode = ctx.opset() < 16 ? "output_half_pixel" : "half_pixel";
        boolean halfPixel = (ctx.node().hasAttribute("coordinate_transformation_mode")
                ? ctx.stringAttr("coordinate_transformation_mode", defaultMode) : defaultMode).equals("half_pixel");
        int outH = (int) ctx.intAttr("output_height", 1);
        int outW = (int) ctx.intAttr("output_width", 1);
        int ratio = (int) ctx.intAttr("sampling_ratio", 0);
        double scale = ctx.floatAttr("spatial_scale", 1f);
        int channels = (int) x.dim(1);
        int height = (int) x.dim(2);
        int width = (int) x.dim(3);
        int num = (int) rois.dim(0);
        double[] data = x.toDoubles();
        double[] r = rois.toDoubles();
        double[] y = new double[num * channels * outH * outW];
        double offset = halfPixel ? 0.5 : 0;
        for (int i = 0; i < num; i++) {
            if (batchIndex[i] < 0 || batchIndex[i] >= x.dim(0)) throw ctx.fail("batch index " + batchIndex[i] + " is out of range");
            double startW = r[i * 4] * scale - offset;
            double startH = r[i * 4 + 1] * scale - offset;
            double roiW = r[i * 4 + 2] * scale - offset - startW;
            double roiH = r[i * 4 + 3] * scale - offset - startH;
            if (!halfPixel) {
                roiW = Math.max(roiW, 1);
                roiH = Math.max(roiH, 1);
            }
            double binH = roiH / outH;
            double binW = roiW / outW;
            int gridH = ratio > 0 ? ratio : (int) Math.ceil(roiH / outH);
            int gridW = ratio > 0 ? ratio : (int) Math.ceil(roiW / outW);
            int count = Math.max(gridH * gridW, 1);
            for (int c = 0; c < channels; c++) {
                int plane = (int) ((batchIndex[i] * channels + c) * height * width);
                for (int py = 0; py < outH; py++) {
                    for (int px = 0; px < outW; px++) {
                        double acc = 0;
                        boolean first = true;
                        for (int iy = 0; iy < gridH; iy++) {
                            double sy = startH + py * binH + (iy + 0.5) * binH / gridH;
                            for (int ix = 0; ix < gridW; ix++) {
                                double sx = startW + px * binW + (ix + 0.5) * binW / gridW;
                                double v = sample(data, plane, height, width, sy, sx, max);
                                acc = max ? (first ? v : Math.max(acc, v)) : acc + v;
                                first = false;
                            }
                        }
                        y[((i * channels + c) * outH + py) * outW + px] = max ? acc : acc / count;
                    }
                }
            }
        }
        return List.of(NnTensors.of(x.dtype(), new long[] {num, channels, outH, outW}, y));
    }

    private static double sample(double[] data, int plane, int height, int width, double y, double x, boolean max) {
        if (y < -1 || y > height || x < -1 || x > width) return 0;
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int y0 = (int) y;
        int x0 = (int) x;
        int y1;
        int x1;
        if (y0 >= height - 1) {
            y0 = y1 = height - 1;
            y = y0;
        } else {
            y1 = y0 + 1;
        }
        if (x0 >= width - 1) {
            x0 = x1 = width - 1;
            x = x0;
        } else {
            x1 = x0 + 1;
        }
        double ly = y - y0;
        double lx = x - x0;
        double hy = 1 - ly;
        double hx = 1 - lx;
        double a = hy * hx * data[plane + y0 * width + x0];
        double b = hy * lx * data[plane + y0 * width + x1];
        double c = ly * hx * data[plane + y1 * width + x0];
        double d = ly * lx * data[plane + y1 * width + x1];
        return max ? Math.max(Math.max(a, b), Math.max(c, d)) : a + b + c + d;
    }
}
