package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axes;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.constDoubles;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.constLongs;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;

/** Ops that resample images and volumes: Resize, Upsample, GridSample, AffineGrid. */
public final class ResamplingOps implements OpFamily {
    /** Resize's coordinate_transformation_mode values (tf_half_pixel_for_nn only in opsets 11 and 12). */
    public static final List<String> COORDINATE_MODES = List.of("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
            "align_corners", "asymmetric", "tf_crop_and_resize", "tf_half_pixel_for_nn");
    public static final List<String> NEAREST_MODES = List.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil");

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("Resize").since(10).inputs(2, 4)
                        .attr(AttrSpec.withDefault("mode", Attribute.of("nearest")))
                        .attr(AttrSpec.withDefault("coordinate_transformation_mode", Attribute.of("half_pixel")))
                        .attr(AttrSpec.withDefault("cubic_coeff_a", Attribute.of(-0.75f)))
                        .attr(AttrSpec.withDefault("exclude_outside", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("extrapolation_value", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("nearest_mode", Attribute.of("round_prefer_floor")))
                        .attr(AttrSpec.withDefault("antialias", Attribute.of(0L)))
                        .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                        .attr(AttrSpec.withDefault("keep_aspect_ratio_policy", Attribute.of("stretch")))
                        .infer(ResamplingOps::resize),
                OpSchema.op("Upsample").since(7).inputs(1, 2)
                        .attr(AttrSpec.withDefault("mode", Attribute.of("nearest")))
                        .attr(AttrSpec.optional("scales", Attribute.Kind.FLOATS))
                        .infer(ResamplingOps::upsample),
                OpSchema.op("GridSample").since(16).inputs(2)
                        .attr(AttrSpec.withDefault("align_corners", Attribute.of(0L)))
                        .attr(AttrSpec.optional("mode", Attribute.Kind.STRING))
                        .attr(AttrSpec.withDefault("padding_mode", Attribute.of("zeros")))
                        .infer(ResamplingOps::gridSample),
                OpSchema.op("AffineGrid").since(20).inputs(2)
                        .attr(AttrSpec.withDefault("align_corners", Attribute.of(0L)))
                        .infer(ResamplingOps::affineGrid));
    }

    private static List<ValueType> resize(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        String mode = ctx.stringAttr("mode");
        if (!List.of("nearest", "linear", "cubic").contains(mode)) throw ctx.fail("unknown mode '" + mode + "'");
        String coord = ctx.stringAttr("coordinate_transformation_mode");
        if (!COORDINATE_MODES.contains(coord)) throw ctx.fail("unknown coordinate_transformation_mode '" + coord + "'");
        String nearest = ctx.stringAttr("nearest_mode");
        if (!NEAREST_MODES.contains(nearest)) throw ctx.fail("unknown nearest_mode '" + nearest + "'");
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank();
        int[] ax = resizeAxes(ctx, rank);
        int scalesInput = ctx.opset() < 11 ? 1 : 2;
        double[] scales = constDoubles(ctx, scalesInput);
        long[] sizes = ctx.opset() < 11 ? null : constLongs(ctx, 3);
        // an input that is not a constant may still turn out empty at run time, so only known values decide
        boolean scalesGiven = scales != null && scales.length > 0;
        boolean sizesGiven = sizes != null && sizes.length > 0;
        boolean scalesMaybe = ctx.hasInput(scalesInput) && scales == null;
        boolean sizesMaybe = ctx.opset() >= 11 && ctx.hasInput(3) && sizes == null;
        if ((scalesGiven && sizesGiven) || !(scalesGiven || sizesGiven || scalesMaybe || sizesMaybe)) {
            throw ctx.fail("exactly one of scales and sizes must be given");
        }
        String policy = ctx.stringAttr("keep_aspect_ratio_policy");
        try {
            if (scales != null && scales.length > 0) return tensor(dtype, scaled(in, ax, scales));
            if (sizes != null && sizes.length > 0) {
                if (policy.equals("stretch") || staticOn(in, ax)) return tensor(dtype, sized(in, ax, sizes, policy));
                return tensor(dtype, unknownOn(in, ax));
            }
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        return tensor(dtype, unknownOn(in, ax));
    }

    /** Resize's {@code axes} attribute (opset 18), else every axis. */
    static int[] resizeAxes(InferenceContext ctx, int rank) {
        long[] given = ctx.opset() >= 18 ? ctx.intsAttr("axes") : null;
        if (given != null) return axes(ctx, given, rank);
        int[] all = new int[rank];
        for (int i = 0; i < rank; i++) all[i] = i;
        return all;
    }

    private static boolean staticOn(Shape in, int[] axes) {
        for (int a : axes) if (!in.dim(a).isStatic()) return false;
        return true;
    }

    /** Output dims from scales: static where the input dim is static, kept where the scale is 1. */
    private static Shape scaled(Shape in, int[] axes, double[] scales) {
        long[] sizes = new long[in.rank()];
        for (int i = 0; i < in.rank(); i++) sizes[i] = in.dim(i).isStatic() ? in.dim(i).size() : 1;
        long[] out = ResizeGeometry.fromScales(sizes, axes, scales).outShape();
        List<Dim> dims = new ArrayList<>(in.dims());
        for (int i = 0; i < axes.length; i++) {
            Dim d = in.dim(axes[i]);
            if (d.isStatic()) dims.set(axes[i], Dim.of(out[axes[i]]));
            else if (scales[i] != 1.0) dims.set(axes[i], Dim.UNKNOWN);
        }
        return Shape.of(dims);
    }

    private static Shape sized(Shape in, int[] axes, long[] sizes, String policy) {
        long[] inSizes = new long[in.rank()];
        for (int i = 0; i < in.rank(); i++) inSizes[i] = in.dim(i).isStatic() ? in.dim(i).size() : 1;
        long[] out = ResizeGeometry.fromSizes(inSizes, axes, sizes, policy).outShape();
        List<Dim> dims = new ArrayList<>(in.dims());
        for (int a : axes) dims.set(a, Dim.of(out[a]));
        return Shape.of(dims);
    }

    private static Shape unknownOn(Shape in, int[] axes) {
        List<Dim> dims = new ArrayList<>(in.dims());
        for (int a : axes) dims.set(a, Dim.UNKNOWN);
        return Shape.of(dims);
    }

    private static List<ValueType> upsample(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        String mode = ctx.stringAttr("mode");
        if (!List.of("nearest", "linear", "bilinear").contains(mode)) throw ctx.fail("unknown mode '" + mode + "'");
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        double[] scales;
        if (ctx.opset() < 9) {
            float[] f = ctx.attr("scales") == null ? null : ctx.attr("scales").asFloats();
            if (f == null) throw ctx.fail("attribute 'scales' is required before opset 9");
            scales = new double[f.length];
            for (int i = 0; i < f.length; i++) scales[i] = f[i];
        } else {
            scales = constDoubles(ctx, 1);
        }
        int[] all = new int[in.rank()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        if (scales == null) return tensor(dtype, unknownOn(in, all));
        try {
            return tensor(dtype, scaled(in, all, scales));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<ValueType> gridSample(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        String mode = gridSampleMode(ctx.hasAttr("mode") ? ctx.stringAttr("mode") : null);
        if (mode == null) throw ctx.fail("unknown mode '" + ctx.stringAttr("mode") + "'");
        String padding = ctx.stringAttr("padding_mode");
        if (!List.of("zeros", "border", "reflection").contains(padding)) throw ctx.fail("unknown padding_mode '" + padding + "'");
        TensorOpsSupport.requireFloat(ctx, 1, "grid");
        Shape x = ctx.inputShape(0);
        Shape grid = ctx.inputShape(1);
        if (!x.hasRank() || !grid.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int spatial = x.rank() - 2;
        if (spatial < 1 || grid.rank() != x.rank()) throw ctx.fail("X " + x + " and grid " + grid + " do not match");
        Dim last = grid.dim(grid.rank() - 1);
        if (last.isStatic() && last.size() != spatial) throw ctx.fail("grid's last dim must be " + spatial + ", got " + grid);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0).isStatic() ? x.dim(0) : grid.dim(0));
        out.add(x.dim(1));
        out.addAll(grid.dims().subList(1, grid.rank() - 1));
        return tensor(dtype, out);
    }

    /**
     * GridSample's interpolation as one of {@code linear, nearest, cubic}: opset 16 spelled them bilinear and
     * bicubic (and defaulted to bilinear); null for an unknown mode.
     */
    public static String gridSampleMode(String given) {
        if (given == null) return "linear";
        return switch (given) {
            case "linear", "bilinear" -> "linear";
            case "cubic", "bicubic" -> "cubic";
            case "nearest" -> "nearest";
            default -> null;
        };
    }

    private static List<ValueType> affineGrid(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        TensorOpsSupport.requireFloat(ctx, 0, "theta");
        if (ctx.inputDType(1) != DType.I64) throw ctx.fail("size must be int64, got " + ctx.inputDType(1));
        long[] size = constLongs(ctx, 1);
        long n = TensorOpsSupport.staticLength(ctx, 1);
        if (size == null && n < 0) return tensor(dtype, Shape.UNKNOWN_RANK);
        int len = size == null ? (int) n : size.length;
        if (len != 4 && len != 5) throw ctx.fail("size must have 4 (N,C,H,W) or 5 (N,C,D,H,W) values, got " + len);
        int spatial = len - 2;
        List<Dim> out = new ArrayList<>();
        out.add(size == null ? ctx.inputShape(0).hasRank() ? ctx.inputShape(0).dim(0) : Dim.UNKNOWN : Dim.of(size[0]));
        for (int i = 0; i < spatial; i++) out.add(size == null ? Dim.UNKNOWN : Dim.of(size[2 + i]));
        out.add(Dim.of(spatial));
        return tensor(dtype, out);
    }
}
