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
import java.util.Arrays;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axes;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axis;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.constLongs;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.dims;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.sum;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;

/** Ops that cut tensors apart or join them along axes: Concat, Split, Slice, Pad, CenterCropPad. */
public final class TensorSliceOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("Concat").since(1).inputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.optional("axis", Attribute.Kind.INT))
                        .infer(TensorSliceOps::concat),
                OpSchema.op("Split").since(1).inputs(1, 2).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .attr(AttrSpec.optional("split", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("num_outputs", Attribute.Kind.INT))
                        .infer(TensorSliceOps::split),
                OpSchema.op("Slice").since(1).inputs(1, 5)
                        .attr(AttrSpec.optional("starts", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("ends", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                        .infer(TensorSliceOps::slice),
                OpSchema.op("Pad").since(1).inputs(1, 4)
                        .attr(AttrSpec.withDefault("mode", Attribute.of("constant")))
                        .attr(AttrSpec.optional("pads", Attribute.Kind.INTS))
                        .attr(AttrSpec.withDefault("value", Attribute.of(0f)))
                        .infer(TensorSliceOps::pad),
                OpSchema.op("CenterCropPad").since(18).inputs(2)
                        .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                        .infer(TensorSliceOps::centerCropPad));
    }

    private static List<ValueType> concat(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        long a = ctx.intAttr("axis", ctx.opset() < 4 ? 1 : Long.MIN_VALUE);
        if (a == Long.MIN_VALUE) throw ctx.fail("attribute 'axis' is required");
        Shape first = null;
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (ctx.inputDType(i) != dtype) throw ctx.fail("input " + i + " is " + ctx.inputDType(i) + ", input 0 is " + dtype);
            Shape s = ctx.inputShape(i);
            if (!s.hasRank()) continue;
            if (first != null && s.rank() != first.rank()) throw ctx.fail("inputs have different ranks: " + first + " and " + s);
            if (first == null) first = s;
        }
        if (first == null) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = first.rank();
        int ax = axis(ctx, a, rank);
        List<Dim> out = new ArrayList<>(first.dims());
        Dim total = Dim.of(0);
        for (int i = 0; i < ctx.inputCount(); i++) {
            Shape s = ctx.inputShape(i);
            if (!s.hasRank()) {
                total = Dim.UNKNOWN;
                continue;
            }
            total = sum(total, s.dim(ax));
            for (int d = 0; d < rank; d++) {
                if (d == ax) continue;
                Dim x = s.dim(d);
                Dim o = out.get(d);
                if (x.isStatic() && o.isStatic() && x.size() != o.size()) {
                    throw ctx.fail("inputs disagree on dim " + d + ": " + first + " and " + s);
                }
                if (x.isStatic() && !o.isStatic()) out.set(d, x);
            }
        }
        out.set(ax, total);
        return tensor(dtype, out);
    }

    private static List<ValueType> split(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        int n = TensorOpsSupport.outputCount(ctx);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return repeat(new TensorType(dtype, Shape.UNKNOWN_RANK), n);
        int ax = axis(ctx, ctx.intAttr("axis", 0), in.rank());
        Dim dim = in.dim(ax);
        long[] sizes = splitSizes(ctx, n, dim);
        List<ValueType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Dim> d = new ArrayList<>(in.dims());
            d.set(ax, sizes == null ? Dim.UNKNOWN : Dim.of(sizes[i]));
            out.add(new TensorType(dtype, Shape.of(d)));
        }
        return out;
    }

    /** The size of each part, or null when it cannot be known before running. */
    private static long[] splitSizes(InferenceContext ctx, int n, Dim dim) {
        boolean fromInput = ctx.opset() >= 13 || (ctx.opset() < 2 && ctx.hasInput(1));
        long[] given = fromInput ? constLongs(ctx, 1) : ctx.intsAttr("split");
        if (fromInput && ctx.hasInput(1) && given == null) return null;
        if (given != null && given.length > 0) {
            if (given.length != n) throw ctx.fail("split " + Arrays.toString(given) + " does not match " + n + " outputs");
            long total = 0;
            for (long s : given) {
                if (s < 0) throw ctx.fail("split sizes must not be negative: " + Arrays.toString(given));
                total += s;
            }
            if (dim.isStatic() && total != dim.size()) {
                throw ctx.fail("split " + Arrays.toString(given) + " does not add up to dim " + dim.size());
            }
            return given;
        }
        if (ctx.hasAttr("num_outputs") && ctx.intAttr("num_outputs") != n) {
            throw ctx.fail("num_outputs " + ctx.intAttr("num_outputs") + " does not match " + n + " outputs");
        }
        if (!dim.isStatic()) return null;
        long[] sizes = TensorOpRules.equalSplit(dim.size(), n, ctx.opset() >= 18);
        if (sizes == null) throw ctx.fail("dim " + dim.size() + " does not split evenly into " + n + " parts");
        return sizes;
    }

    private static List<ValueType> repeat(ValueType t, int n) {
        List<ValueType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(t);
        return out;
    }

    private static List<ValueType> slice(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank();
        boolean attrs = ctx.opset() < 10;
        long[] starts = attrs ? ctx.intsAttr("starts") : constLongs(ctx, 1);
        long[] ends = attrs ? ctx.intsAttr("ends") : constLongs(ctx, 2);
        long[] axesGiven = attrs ? ctx.intsAttr("axes") : constLongs(ctx, 3);
        long[] steps = attrs ? null : constLongs(ctx, 4);
        if (attrs && (starts == null || ends == null)) throw ctx.fail("attributes 'starts' and 'ends' are required");
        boolean axesUnknown = !attrs && ctx.hasInput(3) && axesGiven == null;
        boolean stepsUnknown = !attrs && ctx.hasInput(4) && steps == null;
        if (starts == null || ends == null || axesUnknown || stepsUnknown) {
            return tensor(dtype, Shape.unknownDims(rank));
        }
        int k = starts.length;
        if (ends.length != k) throw ctx.fail("starts and ends differ in length");
        if (axesGiven == null) {
            axesGiven = new long[k];
            for (int i = 0; i < k; i++) axesGiven[i] = i;
        }
        if (steps == null) {
            steps = new long[k];
            Arrays.fill(steps, 1);
        }
        if (axesGiven.length != k || steps.length != k) throw ctx.fail("starts, ends, axes and steps differ in length");
        int[] ax = axes(ctx, axesGiven, rank);
        List<Dim> out = dims(ctx, 0);
        for (int i = 0; i < k; i++) {
            if (steps[i] == 0) throw ctx.fail("slice step must not be 0");
            Dim d = in.dim(ax[i]);
            if (d.isStatic()) {
                out.set(ax[i], Dim.of(SliceBounds.of(starts[i], ends[i], steps[i], d.size()).count()));
            } else if (!(starts[i] == 0 && steps[i] == 1 && ends[i] >= Integer.MAX_VALUE)) {
                out.set(ax[i], Dim.UNKNOWN);
            }
        }
        return tensor(dtype, out);
    }

    private static List<ValueType> pad(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        String mode = ctx.stringAttr("mode");
        if (!List.of("constant", "reflect", "edge", "wrap").contains(mode)) throw ctx.fail("unknown pad mode '" + mode + "'");
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank();
        long[] pads = ctx.opset() < 11 ? ctx.intsAttr("pads") : constLongs(ctx, 1);
        if (pads == null) {
            if (ctx.opset() < 11) throw ctx.fail("attribute 'pads' is required");
            return tensor(dtype, Shape.unknownDims(rank));
        }
        int[] ax;
        if (ctx.opset() >= 18 && ctx.hasInput(3)) {
            long[] a = constLongs(ctx, 3);
            if (a == null) return tensor(dtype, Shape.unknownDims(rank));
            ax = axes(ctx, a, rank);
        } else {
            ax = new int[rank];
            for (int i = 0; i < rank; i++) ax[i] = i;
        }
        if (pads.length != 2 * ax.length) throw ctx.fail("pads " + Arrays.toString(pads) + " must have " + 2 * ax.length + " values");
        List<Dim> out = dims(ctx, 0);
        for (int i = 0; i < ax.length; i++) {
            long extra = pads[i] + pads[i + ax.length];
            Dim d = in.dim(ax[i]);
            if (extra == 0) continue;
            if (!d.isStatic()) {
                out.set(ax[i], Dim.UNKNOWN);
                continue;
            }
            if (d.size() + extra < 0) throw ctx.fail("pads " + Arrays.toString(pads) + " remove more than dim " + d.size());
            out.set(ax[i], Dim.of(d.size() + extra));
        }
        return tensor(dtype, out);
    }

    private static List<ValueType> centerCropPad(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank();
        long[] axesAttr = ctx.intsAttr("axes");
        int[] ax;
        if (axesAttr == null) {
            ax = new int[rank];
            for (int i = 0; i < rank; i++) ax[i] = i;
        } else {
            ax = axes(ctx, axesAttr, rank);
        }
        long[] target = constLongs(ctx, 1);
        List<Dim> out = dims(ctx, 0);
        if (target != null && target.length != ax.length) {
            throw ctx.fail("shape " + Arrays.toString(target) + " must have " + ax.length + " values");
        }
        for (int i = 0; i < ax.length; i++) {
            if (target != null && target[i] < 0) throw ctx.fail("shape must not be negative: " + Arrays.toString(target));
            out.set(ax[i], target == null ? Dim.UNKNOWN : Dim.of(target[i]));
        }
        return tensor(dtype, out);
    }
}
