package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.ops.onnx.ResamplingOps;
import dev.kiln.ir.ops.onnx.ResizeGeometry;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.allAxes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/**
 * Resize (opsets 10 to 19) and Upsample. Interpolation is separable, so the kernel resamples one axis at a time:
 * for each output index along the axis it computes the source taps (index and weight) once, from the coordinate
 * transform, the interpolation mode and the edge rules, then applies them to every line along that axis.
 */
final class ResizeKernel {
    private ResizeKernel() {}

    /** The attributes that shape the interpolation. */
    private record Settings(String mode, String coordinates, String nearestMode, double cubicA, boolean excludeOutside,
                            double extrapolation, boolean antialias) {}

    static List<RuntimeValue> resize(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        String mode = ctx.stringAttr("mode", "nearest");
        if (!List.of("nearest", "linear", "cubic").contains(mode)) throw ctx.fail("unknown mode '" + mode + "'");
        if (ctx.opset() < 11) {
            if (mode.equals("cubic")) throw ctx.fail("cubic mode needs opset 11");
            return one(upsampleLike(ctx, x, ctx.input(1).toDoubles(), mode));
        }
        int[] ax = ctx.opset() >= 18 && ctx.attr("axes") != null ? axes(ctx, ctx.intsAttr("axes"), rank) : allAxes(rank);
        double[] scales = ctx.hasInput(2) ? ctx.input(2).toDoubles() : new double[0];
        long[] sizes = ctx.hasInput(3) ? TensorKernelSupport.longs(ctx, 3, "sizes") : new long[0];
        if ((scales.length > 0) == (sizes.length > 0)) throw ctx.fail("exactly one of scales and sizes must be given");
        ResizeGeometry g;
        try {
            g = scales.length > 0 ? ResizeGeometry.fromScales(x.shape(), ax, scales)
                    : ResizeGeometry.fromSizes(x.shape(), ax, sizes, ctx.stringAttr("keep_aspect_ratio_policy", "stretch"));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        Settings s = new Settings(mode, ctx.stringAttr("coordinate_transformation_mode", "half_pixel"),
                ctx.stringAttr("nearest_mode", "round_prefer_floor"), ctx.floatAttr("cubic_coeff_a", -0.75f),
                ctx.intAttr("exclude_outside", 0) != 0, ctx.floatAttr("extrapolation_value", 0f),
                ctx.intAttr("antialias", 0) != 0);
        if (!ResamplingOps.COORDINATE_MODES.contains(s.coordinates())) {
            throw ctx.fail("unknown coordinate_transformation_mode '" + s.coordinates() + "'");
        }
        if (!ResamplingOps.NEAREST_MODES.contains(s.nearestMode())) throw ctx.fail("unknown nearest_mode '" + s.nearestMode() + "'");
        double[][] roi = roi(ctx, rank, ax);
        return one(resample(ctx, x, g, s, roi));
    }

    static List<RuntimeValue> upsample(KernelContext ctx) {
        Tensor x = ctx.input(0);
        double[] scales;
        if (ctx.opset() < 9) {
            float[] f = ctx.floatsAttr("scales");
            if (f == null) throw ctx.fail("attribute 'scales' is required");
            scales = new double[f.length];
            for (int i = 0; i < f.length; i++) scales[i] = f[i];
        } else {
            scales = ctx.input(1).toDoubles();
        }
        String mode = ctx.stringAttr("mode", "nearest");
        return one(upsampleLike(ctx, x, scales, mode.equals("bilinear") ? "linear" : mode));
    }

    /** Upsample and Resize-10: output size floor(size * scale), asymmetric coordinates, nearest rounds down. */
    private static Tensor upsampleLike(KernelContext ctx, Tensor x, double[] scales, String mode) {
        if (!mode.equals("nearest") && !mode.equals("linear")) throw ctx.fail("unknown mode '" + mode + "'");
        ResizeGeometry g;
        try {
            g = ResizeGeometry.fromScales(x.shape(), allAxes(x.rank()), scales);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        Settings s = new Settings(mode, "asymmetric", "floor", -0.75, false, 0, false);
        return resample(ctx, x, g, s, null);
    }

    /** Per axis {start, end} of the region of interest (tf_crop_and_resize), or null when not used. */
    private static double[][] roi(KernelContext ctx, int rank, int[] ax) {
        if (!ctx.stringAttr("coordinate_transformation_mode", "").equals("tf_crop_and_resize")) return null;
        if (!ctx.hasInput(1)) throw ctx.fail("tf_crop_and_resize needs roi");
        double[] given = ctx.input(1).toDoubles();
        if (given.length != 2 * ax.length) throw ctx.fail("roi must have " + 2 * ax.length + " values, got " + given.length);
        double[][] roi = new double[rank][];
        for (int d = 0; d < rank; d++) roi[d] = new double[] {0, 1};
        for (int i = 0; i < ax.length; i++) roi[ax[i]] = new double[] {given[i], given[i + ax.length]};
        return roi;
    }

    private static Tensor resample(KernelContext ctx, Tensor x, ResizeGeometry g, Settings s, double[][] roi) {
        long[] shape = x.shape();
        long[] out = g.outShape();
        TensorKernelSupport.size(ctx, out);
        double[] data = x.toDoubles();
        for (int d = 0; d < shape.length; d++) {
            boolean identity = shape[d] == out[d] && g.scales()[d] == 1.0 && roi == null;
            if (identity) continue;
            if (shape[d] == 0) throw ctx.fail("cannot resize an empty axis");
            Taps taps = taps(s, shape[d], out[d], g.scales()[d], roi == null ? null : roi[d]);
            data = apply(data, shape, d, taps, s.extrapolation());
            shape[d] = out[d];
        }
        Tensor result = Tensor.zeros(x.dtype(), out);
        for (int i = 0; i < data.length; i++) result.setDouble(i, data[i]);
        return result;
    }

    /** For each output index along one axis: source indices and weights, or "outside" (extrapolation value). */
    private record Taps(int[][] index, double[][] weight, boolean[] outside) {}

    private static double[] apply(double[] in, long[] shape, int axis, Taps taps, double extrapolation) {
        int[] around = aroundAxis(shape, axis);
        int outer = around[0], n = around[1], inner = around[2];
        int m = taps.outside().length;
        double[] out = new double[outer * m * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int[] idx = taps.index()[j];
                double[] w = taps.weight()[j];
                int base = (o * m + j) * inner;
                for (int i = 0; i < inner; i++) {
                    if (taps.outside()[j]) {
                        out[base + i] = extrapolation;
                        continue;
                    }
                    double v = 0;
                    for (int t = 0; t < idx.length; t++) v += w[t] * in[(o * n + idx[t]) * inner + i];
                    out[base + i] = v;
                }
            }
        }
        return out;
    }

    private static Taps taps(Settings s, long n, long m, double scale, double[] roi) {
        int[][] index = new int[(int) m][];
        double[][] weight = new double[(int) m][];
        boolean[] outside = new boolean[(int) m];
        for (int j = 0; j < m; j++) {
            double xo = sourceCoordinate(s.coordinates(), j, n, m, scale, roi);
            if (roi != null && (xo < 0 || xo > n - 1)) {
                outside[j] = true;
                continue;
            }
            if (s.mode().equals("nearest")) {
                index[j] = new int[] {(int) Math.max(0, Math.min(n - 1, nearest(xo, s.nearestMode())))};
                weight[j] = new double[] {1};
            } else {
                interpolationTaps(s, xo, n, scale, index, weight, j);
            }
        }
        return new Taps(index, weight, outside);
    }

    /**
     * Where output index {@code j} of an axis resized from {@code n} to {@code m} samples the input. The spec's
     * "resized length" is {@code scale * n}, not the rounded output size, wherever a transform divides by it.
     */
    private static double sourceCoordinate(String mode, long j, long n, long m, double scale, double[] roi) {
        double length = scale * n;
        return switch (mode) {
            case "half_pixel" -> (j + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double offset = n / 2.0 * (1 - m / length);
                yield offset + (j + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> length > 1 ? (j + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> length == 1 ? 0 : j * (double) (n - 1) / (length - 1);
            case "asymmetric" -> j / scale;
            case "tf_half_pixel_for_nn" -> (j + 0.5) / scale;
            case "tf_crop_and_resize" -> length > 1
                    ? roi[0] * (n - 1) + j * (roi[1] - roi[0]) * (n - 1) / (length - 1)
                    : 0.5 * (roi[0] + roi[1]) * (n - 1);
            default -> throw new IllegalArgumentException("unknown coordinate_transformation_mode '" + mode + "'");
        };
    }

    private static double nearest(double x, String mode) {
        return switch (mode) {
            case "round_prefer_floor" -> Math.ceil(x - 0.5);
            case "round_prefer_ceil" -> Math.floor(x + 0.5);
            case "floor" -> Math.floor(x);
            case "ceil" -> Math.ceil(x);
            default -> throw new IllegalArgumentException("unknown nearest_mode '" + mode + "'");
        };
    }

    /**
     * Linear or cubic taps around {@code x}. With antialias and downsampling the kernel is stretched by 1/scale
     * (so it averages over every input sample an output covers) and its weights normalized to sum to 1.
     * Samples past the edges repeat the edge sample, unless exclude_outside drops them (renormalizing the rest).
     */
    private static void interpolationTaps(Settings s, double x, long n, double scale, int[][] index, double[][] weight, int j) {
        boolean cubic = s.mode().equals("cubic");
        double stretch = s.antialias() ? Math.min(scale, 1.0) : 1.0;
        double reach = cubic ? 2 : 1;
        int first = (int) Math.floor(-reach / stretch) + 1;
        int count = 2 - 2 * first;
        // the tap left of x is floor(x), or x - 1 when x is whole (so that x itself is the right-hand tap)
        double left = Math.ceil(x) - 1;
        double ratio = x - left;
        int[] idx = new int[count];
        double[] w = new double[count];
        double total = 0;
        for (int t = 0; t < count; t++) {
            long i = (long) left + first + t;
            double dist = Math.abs((first + t - ratio) * stretch);
            w[t] = cubic ? cubicWeight(dist, s.cubicA()) : Math.max(0, 1 - dist);
            if (s.excludeOutside() && (i < 0 || i >= n)) w[t] = 0;
            idx[t] = (int) Math.max(0, Math.min(n - 1, i));
            total += w[t];
        }
        if ((s.antialias() || s.excludeOutside()) && total != 0) {
            for (int t = 0; t < count; t++) w[t] /= total;
        }
        index[j] = idx;
        weight[j] = w;
    }

    /** Keys' cubic convolution kernel with coefficient {@code a}, at distance {@code d >= 0}. */
    private static double cubicWeight(double d, double a) {
        if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
        if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        return 0;
    }
}
