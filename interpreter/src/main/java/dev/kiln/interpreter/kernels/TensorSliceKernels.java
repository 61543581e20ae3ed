package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ops.onnx.SliceBounds;
import dev.kiln.ir.ops.onnx.TensorOpRules;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.allAxes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.identity;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.longs;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.optionalLongs;

/** Concat, Split, Slice, Pad, CenterCropPad. */
public final class TensorSliceKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Concat", TensorSliceKernels::concat,
                "Split", TensorSliceKernels::split,
                "Slice", TensorSliceKernels::slice,
                "Pad", TensorSliceKernels::pad,
                "CenterCropPad", TensorSliceKernels::centerCropPad);
    }

    private static List<RuntimeValue> concat(KernelContext ctx) {
        Tensor first = ctx.input(0);
        int rank = first.rank();
        if (ctx.attr("axis") == null && ctx.opset() >= 4) throw ctx.fail("attribute 'axis' is required");
        int ax = axis(ctx, ctx.intAttr("axis", 1), rank);
        long[] out = first.shape();
        out[ax] = 0;
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            Tensor t = ctx.input(i);
            if (t.dtype() != first.dtype()) throw ctx.fail("input " + i + " is " + t.dtype() + ", input 0 is " + first.dtype());
            if (t.rank() != rank) throw ctx.fail("inputs have different ranks: " + Shape.format(first.shape()) + " and " + Shape.format(t.shape()));
            for (int d = 0; d < rank; d++) {
                if (d != ax && t.dim(d) != first.dim(d)) {
                    throw ctx.fail("inputs disagree on dim " + d + ": " + Shape.format(first.shape()) + " and " + Shape.format(t.shape()));
                }
            }
            out[ax] += t.dim(ax);
            parts.add(t);
        }
        int[] around = aroundAxis(out, ax);
        int outer = around[0], total = around[1], inner = around[2];
        ElementBuffer result = ElementBuffer.allocate(first.dtype(), TensorKernelSupport.size(ctx, out));
        int offset = 0;
        for (Tensor t : parts) {
            ElementBuffer src = ElementBuffer.copyOf(t);
            int len = (int) t.dim(ax) * inner;
            for (int o = 0; o < outer; o++) result.copyRange(o * total * inner + offset, src, o * len, len);
            offset += len;
        }
        return one(result.toTensor(out));
    }

    private static List<RuntimeValue> split(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int ax = axis(ctx, ctx.intAttr("axis", 0), x.rank());
        int n = ctx.outputCount();
        boolean fromInput = ctx.opset() >= 13 || (ctx.opset() < 2 && ctx.hasInput(1));
        long[] sizes = fromInput ? optionalLongs(ctx, 1, "split") : ctx.intsAttr("split");
        long dim = x.dim(ax);
        if (sizes == null || sizes.length == 0) {
            sizes = TensorOpRules.equalSplit(dim, n, ctx.opset() >= 18);
            if (sizes == null) throw ctx.fail("dim " + dim + " does not split evenly into " + n + " parts");
        }
        if (sizes.length != n) throw ctx.fail("split " + Arrays.toString(sizes) + " does not match " + n + " outputs");
        if (Arrays.stream(sizes).anyMatch(s -> s < 0) || Arrays.stream(sizes).sum() != dim) {
            throw ctx.fail("split " + Arrays.toString(sizes) + " does not add up to dim " + dim);
        }
        int[] around = aroundAxis(x.shape(), ax);
        int outer = around[0], inner = around[2];
        ElementBuffer src = ElementBuffer.copyOf(x);
        List<RuntimeValue> outs = new ArrayList<>(n);
        int start = 0;
        for (long size : sizes) {
            long[] shape = x.shape();
            shape[ax] = size;
            int len = (int) size * inner;
            ElementBuffer part = ElementBuffer.allocate(x.dtype(), outer * len);
            for (int o = 0; o < outer; o++) part.copyRange(o * len, src, (int) (o * dim * inner) + start, len);
            outs.add(part.toTensor(shape));
            start += len;
        }
        return outs;
    }

    private static List<RuntimeValue> slice(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        boolean attrs = ctx.opset() < 10;
        long[] starts = attrs ? ctx.intsAttr("starts") : longs(ctx, 1, "starts");
        long[] ends = attrs ? ctx.intsAttr("ends") : longs(ctx, 2, "ends");
        long[] axesGiven = attrs ? ctx.intsAttr("axes") : optionalLongs(ctx, 3, "axes");
        long[] steps = attrs ? null : optionalLongs(ctx, 4, "steps");
        if (starts == null || ends == null) throw ctx.fail("starts and ends are required");
        int k = starts.length;
        if (axesGiven == null) axesGiven = Arrays.stream(allAxes(k)).asLongStream().toArray();
        if (steps == null) {
            steps = new long[k];
            Arrays.fill(steps, 1);
        }
        if (ends.length != k || axesGiven.length != k || steps.length != k) {
            throw ctx.fail("starts, ends, axes and steps differ in length");
        }
        int[] ax = axes(ctx, axesGiven, rank);
        long[] in = x.shape();
        long[] out = x.shape();
        int[][] sources = new int[rank][];
        for (int d = 0; d < rank; d++) sources[d] = identity(in[d]);
        for (int i = 0; i < k; i++) {
            if (steps[i] == 0) throw ctx.fail("slice step must not be 0");
            SliceBounds b = SliceBounds.of(starts[i], ends[i], steps[i], in[ax[i]]);
            out[ax[i]] = b.count();
            sources[ax[i]] = new int[(int) b.count()];
            for (int j = 0; j < b.count(); j++) sources[ax[i]][j] = (int) (b.start() + j * b.step());
        }
        return one(ElementBuffer.gather(x, out, TensorKernelSupport.mapFromAxes(in, out, sources)));
    }

    private static List<RuntimeValue> pad(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        String mode = ctx.stringAttr("mode", "constant");
        long[] pads = ctx.opset() < 11 ? ctx.intsAttr("pads") : longs(ctx, 1, "pads");
        if (pads == null) throw ctx.fail("pads are required");
        int[] ax = ctx.opset() >= 18 && ctx.hasInput(3) ? axes(ctx, longs(ctx, 3, "axes"), rank) : allAxes(rank);
        if (pads.length != 2 * ax.length) throw ctx.fail("pads " + Arrays.toString(pads) + " must have " + 2 * ax.length + " values");
        long[] before = new long[rank];
        long[] after = new long[rank];
        for (int i = 0; i < ax.length; i++) {
            before[ax[i]] += pads[i];
            after[ax[i]] += pads[i + ax.length];
        }
        Tensor fill = constantFill(ctx, x);
        return one(padded(ctx, x, before, after, mode, fill));
    }

    /** The constant Pad fills with: the constant_value input (opset 11+), the value attribute before, else 0. */
    private static Tensor constantFill(KernelContext ctx, Tensor x) {
        if (ctx.opset() >= 11 && ctx.hasInput(2)) {
            Tensor v = ctx.input(2);
            if (v.dtype() != x.dtype()) throw ctx.fail("constant_value is " + v.dtype() + ", data is " + x.dtype());
            if (v.size() != 1) throw ctx.fail("constant_value must hold one value, got " + v.size());
            return v;
        }
        Tensor zero = Tensor.zeros(x.dtype());
        if (ctx.opset() < 11 && x.dtype().isFloat()) zero.setDouble(0, ctx.floatAttr("value", 0f));
        return zero;
    }

    /** {@code x} with {@code before[d]} and {@code after[d]} elements added (or, when negative, removed) on axis d. */
    static Tensor padded(KernelContext ctx, Tensor x, long[] before, long[] after, String mode, Tensor fill) {
        int rank = x.rank();
        long[] in = x.shape();
        long[] out = new long[rank];
        int[][] sources = new int[rank][];
        for (int d = 0; d < rank; d++) {
            out[d] = in[d] + before[d] + after[d];
            if (out[d] < 0) throw ctx.fail("pads remove more than dim " + d + " holds (" + in[d] + ")");
            if (in[d] == 0 && out[d] > 0 && !mode.equals("constant")) throw ctx.fail("cannot " + mode + "-pad an empty axis");
            sources[d] = new int[(int) out[d]];
            for (int j = 0; j < out[d]; j++) sources[d][j] = padSource(ctx, j - before[d], in[d], mode);
        }
        TensorKernelSupport.size(ctx, out);
        return ElementBuffer.gather(x, out, TensorKernelSupport.mapFromAxes(in, out, sources), fill);
    }

    /** Where a padded position {@code i} (relative to the original start) reads from, or -1 for the fill value. */
    private static int padSource(KernelContext ctx, long i, long n, String mode) {
        if (i >= 0 && i < n) return (int) i;
        return switch (mode) {
            case "constant" -> -1;
            case "edge" -> (int) (i < 0 ? 0 : n - 1);
            case "wrap" -> (int) Math.floorMod(i, n);
            case "reflect" -> {
                if (n == 1) yield 0;
                long period = 2 * (n - 1);
                long m = Math.floorMod(i, period);
                yield (int) (m < n ? m : period - m);
            }
            default -> throw ctx.fail("unknown pad mode '" + mode + "'");
        };
    }

    private static List<RuntimeValue> centerCropPad(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        long[] given = ctx.intsAttr("axes");
        int[] ax = given == null ? allAxes(rank) : axes(ctx, given, rank);
        long[] target = longs(ctx, 1, "shape");
        if (target.length != ax.length) throw ctx.fail("shape " + Arrays.toString(target) + " must have " + ax.length + " values");
        long[] before = new long[rank];
        long[] after = new long[rank];
        for (int i = 0; i < ax.length; i++) {
            long dim = x.dim(ax[i]);
            if (target[i] < 0) throw ctx.fail("shape must not be negative: " + Arrays.toString(target));
            // crop: start at (dim - target) / 2; pad: (target - dim) / 2 before; both round down the leading side
            long lead = dim >= target[i] ? -((dim - target[i]) / 2) : (target[i] - dim) / 2;
            before[ax[i]] = lead;
            after[ax[i]] = target[i] - dim - lead;
        }
        return one(padded(ctx, x, before, after, "constant", Tensor.zeros(x.dtype())));
    }
}
