package dev.kiln.ir.ops.onnx;

import java.util.Arrays;

/**
 * The output shape of Resize (and Upsample) and the per-axis scale its coordinate transforms use, computed from
 * either {@code scales} or {@code sizes} as the ONNX spec prescribes. Shared by shape inference and the kernel.
 *
 * @param outShape the output shape
 * @param scales   per axis of the input, output size over input size as the coordinate transform sees it
 */
public record ResizeGeometry(long[] outShape, double[] scales) {
    /**
     * From explicit scales for the given axes (other axes keep scale 1): each output size is
     * {@code floor(size * scale)}.
     */
    public static ResizeGeometry fromScales(long[] inShape, int[] axes, double[] scales) {
        if (scales.length != axes.length) {
            throw new IllegalArgumentException("scales " + Arrays.toString(scales) + " do not match " + axes.length + " axes");
        }
        double[] all = ones(inShape.length);
        long[] out = inShape.clone();
        for (int i = 0; i < axes.length; i++) {
            if (!(scales[i] > 0)) throw new IllegalArgumentException("scales must be positive, got " + Arrays.toString(scales));
            all[axes[i]] = scales[i];
            out[axes[i]] = (long) Math.floor(inShape[axes[i]] * scales[i]);
        }
        return new ResizeGeometry(out, all);
    }

    /**
     * From target sizes for the given axes. With {@code keep_aspect_ratio_policy} "not_larger" or "not_smaller" one
     * common scale (the smallest or largest of size over input size) applies to every listed axis and each output
     * size is rounded from it; "stretch" takes the sizes as they are.
     */
    public static ResizeGeometry fromSizes(long[] inShape, int[] axes, long[] sizes, String policy) {
        if (sizes.length != axes.length) {
            throw new IllegalArgumentException("sizes " + Arrays.toString(sizes) + " do not match " + axes.length + " axes");
        }
        for (long s : sizes) if (s < 0) throw new IllegalArgumentException("sizes must not be negative, got " + Arrays.toString(sizes));
        double[] all = ones(inShape.length);
        long[] out = inShape.clone();
        switch (policy) {
            case "stretch" -> {
                for (int i = 0; i < axes.length; i++) {
                    out[axes[i]] = sizes[i];
                    all[axes[i]] = (double) sizes[i] / inShape[axes[i]];
                }
            }
            case "not_larger", "not_smaller" -> {
                boolean smallest = policy.equals("not_larger");
                double common = smallest ? Double.POSITIVE_INFINITY : 0;
                for (int i = 0; i < axes.length; i++) {
                    double s = (double) sizes[i] / inShape[axes[i]];
                    common = smallest ? Math.min(common, s) : Math.max(common, s);
                }
                for (int axis : axes) {
                    all[axis] = common;
                    out[axis] = (long) Math.floor(common * inShape[axis] + 0.5);
                }
            }
            default -> throw new IllegalArgumentException("unknown keep_aspect_ratio_policy '" + policy + "'");
        }
        return new ResizeGeometry(out, all);
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0);
        return a;
    }
}
