package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.NnInference.intAttr;
import static dev.kiln.ir.ops.onnx.NnInference.ints;
import static dev.kiln.ir.ops.onnx.NnInference.stringAttr;

/** Convolutions: Conv, ConvInteger, QLinearConv, DeformConv, ConvTranspose and Col2Im. */
public final class ConvOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                window(OpSchema.op("Conv").since(1).inputs(2, 3)).infer(ctx -> conv(ctx, 0, 1, null)),
                window(OpSchema.op("ConvInteger").since(10).inputs(2, 4)).infer(ctx -> conv(ctx, 0, 1, DType.I32)),
                window(OpSchema.op("QLinearConv").since(10).inputs(8, 9)).infer(ConvOps::qlinearConv),
                OpSchema.op("DeformConv").since(19).inputs(3, 5)
                        .attr(ints("dilations")).attr(intAttr("group", 1)).attr(ints("kernel_shape"))
                        .attr(intAttr("offset_group", 1)).attr(ints("pads")).attr(ints("strides"))
                        .infer(ctx -> conv(ctx, 0, 1, null)),
                window(OpSchema.op("ConvTranspose").since(1).inputs(2, 3))
                        .attr(ints("output_padding")).attr(ints("output_shape"))
                        .infer(ConvOps::convTranspose),
                OpSchema.op("Col2Im").since(18).inputs(3)
                        .attr(ints("dilations")).attr(ints("pads")).attr(ints("strides"))
                        .infer(ConvOps::col2im));
    }

    private static OpSchema.Builder window(OpSchema.Builder b) {
        return b.outputs(1).attr(stringAttr("auto_pad", "NOTSET")).attr(ints("dilations")).attr(intAttr("group", 1))
                .attr(ints("kernel_shape")).attr(ints("pads")).attr(ints("strides"));
    }

    /** Conv-like output: {@code [N, M, out...]} from X at {@code xi} and W at {@code wi}. */
    private static List<ValueType> conv(InferenceContext ctx, int xi, int wi, DType outType) {
        TensorType x = ctx.input(xi);
        TensorType w = ctx.input(wi);
        if (outType == null) {
            NnInference.requireFloat(ctx, xi);
            NnInference.requireSameType(ctx, wi, xi);
            outType = x.dtype();
        } else {
            NnInference.requireType(ctx, xi, NnInference.QUANTIZED_8BIT, "int8 or uint8");
            NnInference.requireType(ctx, wi, NnInference.QUANTIZED_8BIT, "int8 or uint8");
        }
        return List.of(new TensorType(outType, convShape(ctx, x.shape(), w.shape(), false)));
    }

    private static List<ValueType> qlinearConv(InferenceContext ctx) {
        NnInference.requireType(ctx, 0, NnInference.QUANTIZED_8BIT, "int8 or uint8");
        NnInference.requireType(ctx, 3, NnInference.QUANTIZED_8BIT, "int8 or uint8");
        DType out = ctx.hasInput(7) ? ctx.inputDType(7) : ctx.inputDType(0);
        return List.of(new TensorType(out, convShape(ctx, ctx.inputShape(0), ctx.inputShape(3), false)));
    }

    private static List<ValueType> convTranspose(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireSameType(ctx, 1, 0);
        return List.of(new TensorType(x.dtype(), convShape(ctx, x.shape(), ctx.inputShape(1), true)));
    }

    static Shape convShape(InferenceContext ctx, Shape x, Shape w, boolean transposed) {
        int rank = x.hasRank() ? x.rank() : w.hasRank() ? w.rank() : -1;
        if (rank < 0) return Shape.UNKNOWN_RANK;
        if (rank < 3) throw ctx.fail("input must have rank >= 3 (N, C, spatial...), got " + x);
        if (w.hasRank() && w.rank() != rank) throw ctx.fail("weight rank " + w.rank() + " does not match input rank " + rank);
        int spatial = rank - 2;
        long group = ctx.intAttr("group", 1);
        if (group < 1) throw ctx.fail("group must be positive, got " + group);
        long[] kernel = kernelShape(ctx, w, spatial);
        long[] in = new long[spatial];
        for (int i = 0; i < spatial; i++) in[i] = x.hasRank() ? NnInference.size(x.dim(i + 2)) : -1;
        long channels = x.hasRank() ? NnInference.size(x.dim(1)) : -1;
        List<Dim> out = new ArrayList<>();
        out.add(x.hasRank() ? x.dim(0) : Dim.UNKNOWN);
        long m = w.hasRank() ? NnInference.size(w.dim(transposed ? 1 : 0)) : -1;
        if (w.hasRank() && channels >= 0) {
            long wc = NnInference.size(w.dim(transposed ? 0 : 1));
            if (!transposed && wc >= 0 && wc * group != channels) {
                throw ctx.fail("weight expects " + wc + " x group " + group + " input channels, input has " + channels);
            }
            if (transposed && wc >= 0 && wc != channels) {
                throw ctx.fail("weight expects " + wc + " input channels, input has " + channels);
            }
        }
        out.add(NnInference.dim(transposed && m >= 0 ? m * group : m));
        if (kernel == null) {
            for (int i = 0; i < spatial; i++) out.add(Dim.UNKNOWN);
            return Shape.of(out);
        }
        try {
            ConvGeometry g = transposed ? ConvGeometry.transposed(in, kernel, ctx::attr)
                    : ConvGeometry.forward(in, kernel, ctx::attr, false);
            for (long o : g.output()) out.add(NnInference.dim(o));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        return Shape.of(out);
    }

    /** kernel_shape when set, else W's spatial dims when static, else null. */
    static long[] kernelShape(InferenceContext ctx, Shape w, int spatial) {
        long[] k = ctx.intsAttr("kernel_shape");
        if (k != null && k.length > 0) {
            if (k.length != spatial) throw ctx.fail("kernel_shape has " + k.length + " dims, input has " + spatial + " spatial dims");
            return k;
        }
        if (!w.hasRank()) return null;
        long[] out = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            out[i] = NnInference.size(w.dim(i + 2));
            if (out[i] < 0) return null;
        }
        return out;
    }

    private static List<ValueType> col2im(InferenceContext ctx) {
        TensorType x = ctx.input(0);
        NnInference.requireRank(ctx, 0, 3);
        long[] image = NnInference.constantLongs(ctx, 1);
        long[] block = NnInference.constantLongs(ctx, 2);
        List<Dim> out = new ArrayList<>();
        out.add(x.shape().hasRank() ? x.shape().dim(0) : Dim.UNKNOWN);
        long cols = x.shape().hasRank() ? NnInference.size(x.shape().dim(1)) : -1;
        if (block != null && cols >= 0) {
            long volume = 1;
            for (long b : block) volume *= b;
            if (volume <= 0 || cols % volume != 0) throw ctx.fail("input dim 1 (" + cols + ") is not a multiple of the block volume " + volume);
            out.add(Dim.of(cols / volume));
        } else {
            out.add(Dim.UNKNOWN);
        }
        if (image != null) {
            for (long d : image) out.add(NnInference.dim(d));
        } else {
            Shape s = ctx.inputShape(1);
            if (!s.hasRank() || s.rank() != 1 || !s.dim(0).isStatic()) {
                return List.of(new TensorType(x.dtype(), Shape.UNKNOWN_RANK));
            }
            for (long i = 0; i < s.dim(0).size(); i++) out.add(Dim.UNKNOWN);
        }
        return List.of(new TensorType(x.dtype(), Shape.of(out)));
    }
}
