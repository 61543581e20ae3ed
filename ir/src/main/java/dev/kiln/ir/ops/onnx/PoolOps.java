package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.NnInference.floatAttr;
import static dev.kiln.ir.ops.onnx.NnInference.intAttr;
import static dev.kiln.ir.ops.onnx.NnInference.ints;
import static dev.kiln.ir.ops.onnx.NnInference.stringAttr;

/** Pooling: windowed, global, unpooling and region-of-interest pools. */
public final class PoolOps implements OpFamily {
    private static final Set<DType> MAXPOOL_TYPES = Set.of(DType.F16, DType.BF16, DType.F32, DType.F64, DType.I8, DType.U8);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                window(OpSchema.op("MaxPool").outputs(1, 2)).attr(intAttr("storage_order", 0)).infer(PoolOps::maxPool),
                window(OpSchema.op("AveragePool").outputs(1)).attr(intAttr("count_include_pad", 0))
                        .infer(ctx -> pool(ctx, NnInference.FLOATS)),
                window(OpSchema.op("LpPool").outputs(1)).attr(intAttr("p", 2)).infer(ctx -> pool(ctx, NnInference.FLOATS)),
                OpSchema.op("GlobalAveragePool").inputs(1).outputs(1).infer(PoolOps::global),
                OpSchema.op("GlobalMaxPool").inputs(1).outputs(1).infer(PoolOps::global),
                OpSchema.op("GlobalLpPool").since(2).inputs(1).outputs(1).attr(intAttr("p", 2)).infer(PoolOps::global),
                OpSchema.op("MaxUnpool").since(9).inputs(2, 3).outputs(1)
                        .attr(AttrSpec.required("kernel_shape", Attribute.Kind.INTS)).attr(ints("pads")).attr(ints("strides"))
                        .infer(PoolOps::maxUnpool),
                OpSchema.op("MaxRoiPool").inputs(2).outputs(1)
                        .attr(AttrSpec.required("pooled_shape", Attribute.Kind.INTS)).attr(floatAttr("spatial_scale", 1f))
                        .infer(PoolOps::maxRoiPool),
                OpSchema.op("RoiAlign").since(10).inputs(3).outputs(1)
                        .attr(stringAttr("coordinate_transformation_mode", "half_pixel")).attr(stringAttr("mode", "avg"))
                        .attr(intAttr("output_height", 1)).attr(intAttr("output_width", 1))
                        .attr(intAttr("sampling_ratio", 0)).attr(floatAttr("spatial_scale", 1f))
                        .infer(PoolOps::roiAlign));
    }

    private static OpSchema.Builder window(OpSchema.Builder b) {
        return b.since(1).inputs(1).attr(stringAttr("auto_pad", "NOTSET")).attr(intAttr("ceil_mode", 0))
                .attr(ints("dilations")).attr(AttrSpec.required("kernel_shape", Attribute.Kind.INTS))
                .attr(ints("pads")).attr(ints("strides"));
    }

    private static List<ValueType> maxPool(InferenceContext ctx) {
        List<ValueType> y = pool(ctx, MAXPOOL_TYPES);
        TensorType t = (TensorType) y.getFirst();
        return NnInference.forOutputs(ctx, List.of(t, new TensorType(DType.I64, t.shape())));
    }

    private static List<ValueType> pool(InferenceContext ctx, Set<DType> allowed) {
        TensorType x = NnInference.requireType(ctx, 0, allowed, "one of " + allowed);
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || kernel.length == 0) throw ctx.fail("attribute 'kernel_shape' is required");
        if (!x.shape().hasRank()) return List.of(new TensorType(x.dtype(), Shape.unknownDims(kernel.length + 2)));
        Shape s = x.shape();
        if (s.rank() != kernel.length + 2) {
            throw ctx.fail("kernel_shape has " + kernel.length + " dims but input " + s + " has " + (s.rank() - 2) + " spatial dims");
        }
        long[] in = new long[kernel.length];
        for (int i = 0; i < in.length; i++) in[i] = NnInference.size(s.dim(i + 2));
        List<Dim> out = new ArrayList<>(List.of(s.dim(0), s.dim(1)));
        try {
            ConvGeometry g = ConvGeometry.forward(in, kernel, ctx::attr, ctx.intAttr("ceil_mode", 0) != 0);
            for (long o : g.output()) out.add(NnInference.dim(o));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        return List.of(new TensorType(x.dtype(), Shape.of(out)));
    }

    private static List<ValueType> global(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireRankAtLeast(ctx, 0, 3);
        if (!x.shape().hasRank()) return List.of(x);
        List<Dim> out = new ArrayList<>(List.of(x.shape().dim(0), x.shape().dim(1)));
        for (int i = 2; i < x.shape().rank(); i++) out.add(Dim.of(1));
        return List.of(new TensorType(x.dtype(), Shape.of(out)));
    }

    private static List<ValueType> maxUnpool(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        if (ctx.inputDType(1) != DType.I64) throw ctx.fail("indices must be int64, got " + ctx.inputDType(1));
        long[] given = NnInference.constantLongs(ctx, 2);
        if (given != null) return List.of(new TensorType(x.dtype(), Shape.of(given)));
        if (ctx.hasInput(2)) {
            Shape s = ctx.inputShape(2);
            boolean rankKnown = s.hasRank() && s.rank() == 1 && s.dim(0).isStatic();
            return List.of(new TensorType(x.dtype(), rankKnown ? Shape.unknownDims((int) s.dim(0).size()) : Shape.UNKNOWN_RANK));
        }
        if (!x.shape().hasRank()) return List.of(new TensorType(x.dtype(), Shape.UNKNOWN_RANK));
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || kernel.length == 0) throw ctx.fail("attribute 'kernel_shape' is required");
        int r = kernel.length;
        if (x.shape().rank() != r + 2) throw ctx.fail("kernel_shape has " + r + " dims but input is " + x.shape());
        List<Dim> out = new ArrayList<>(List.of(x.shape().dim(0), x.shape().dim(1)));
        long[] d = unpoolSizes(NnInference.sizes(x.shape()), kernel, ctx.intsAttr("strides"), ctx.intsAttr("pads"));
        for (int i = 0; i < r; i++) out.add(NnInference.dim(d[i + 2]));
        return List.of(new TensorType(x.dtype(), Shape.of(out)));
    }

    /** MaxUnpool's default output shape: {@code (in - 1) * stride + kernel - pad_begin - pad_end} per spatial axis. */
    public static long[] unpoolSizes(long[] xShape, long[] kernel, long[] strides, long[] pads) {
        int r = kernel.length;
        long[] out = xShape.clone();
        for (int i = 0; i < r; i++) {
            long in = xShape[i + 2];
            long s = strides == null || strides.length == 0 ? 1 : strides[i];
            long pb = pads == null || pads.length == 0 ? 0 : pads[i];
            long pe = pads == null || pads.length == 0 ? 0 : pads[i + r];
            out[i + 2] = in < 0 ? -1 : (in - 1) * s + kernel[i] - pb - pe;
        }
        return out;
    }

    private static List<ValueType> maxRoiPool(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireRank(ctx, 0, 4);
        NnInference.requireRank(ctx, 1, 2);
        long[] pooled = ctx.intsAttr("pooled_shape");
        if (pooled == null || pooled.length != 2) throw ctx.fail("pooled_shape must have 2 values");
        Shape rois = ctx.inputShape(1);
        Dim num = rois.hasRank() ? rois.dim(0) : Dim.UNKNOWN;
        Dim c = x.shape().hasRank() ? x.shape().dim(1) : Dim.UNKNOWN;
        return List.of(new TensorType(x.dtype(), Shape.of(List.of(num, c, Dim.of(pooled[0]), Dim.of(pooled[1])))));
    }

    private static List<ValueType> roiAlign(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireRank(ctx, 0, 4);
        NnInference.requireRank(ctx, 1, 2);
        NnInference.requireRank(ctx, 2, 1);
        Shape rois = ctx.inputShape(1);
        Dim num = rois.hasRank() ? rois.dim(0) : Dim.UNKNOWN;
        Dim c = x.shape().hasRank() ? x.shape().dim(1) : Dim.UNKNOWN;
        long h = ctx.intAttr("output_height", 1);
        long w = ctx.intAttr("output_width", 1);
        return List.of(new TensorType(x.dtype(), Shape.of(List.of(num, c, Dim.of(h), Dim.of(w)))));
    }
}
