package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Windowed and global pooling (max, average, Lp) and MaxUnpool; the ROI pools live in {@link RoiPoolKernels}. */
public final class PoolKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "MaxPool", PoolKernels::maxPool,
                "AveragePool", PoolKernels::averagePool,
                "LpPool", PoolKernels::lpPool,
                "GlobalAveragePool", ctx -> global(ctx, "avg"),
                "GlobalMaxPool", ctx -> global(ctx, "max"),
                "GlobalLpPool", ctx -> global(ctx, "lp"),
                "MaxUnpool", PoolKernels::maxUnpool,
                "MaxRoiPool", RoiPoolKernels::maxRoiPool,
                "RoiAlign", RoiPoolKernels::roiAlign);
    }

    /** One pooled op's setup: the input, its planes as doubles, the window taps and the output shape. */
    private record Pooling(Tensor x, double[] data, int planes, PoolWindows windows, long[] outShape) {}

    private static Pooling setUp(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || x.rank() != kernel.length + 2) {
            throw ctx.fail("kernel_shape " + Arrays.toString(kernel) + " does not fit input " + x.type());
        }
        long[] image = Arrays.copyOfRange(x.shape(), 2, x.rank());
        ConvGeometry g;
        try {
            g = ConvGeometry.forward(image, kernel, ctx::attr, ctx.intAttr("ceil_mode", 0) != 0);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        long[] outShape = x.shape();
        System.arraycopy(g.output(), 0, outShape, 2, g.rank());
        return new Pooling(x, x.toDoubles(), (int) (x.dim(0) * x.dim(1)), new PoolWindows(image, g), outShape);
    }

    private static List<RuntimeValue> maxPool(KernelContext ctx) {
        Pooling p = setUp(ctx);
        PoolWindows w = p.windows();
        boolean columnMajor = ctx.intAttr("storage_order", 0) != 0;
        double[] y = new double[p.planes() * w.positions];
        long[] indices = new long[y.length];
        for (int plane = 0; plane < p.planes(); plane++) {
            int base = plane * w.imageVolume;
            for (int o = 0; o < w.positions; o++) {
                double best = Double.NEGATIVE_INFINITY;
                int at = -1;
                for (int t = w.start[o]; t < w.start[o + 1]; t++) {
                    double v = p.data()[base + w.taps[t]];
                    if (at < 0 || v > best) {
                        best = v;
                        at = w.taps[t];
                    }
                }
                int out = plane * w.positions + o;
                y[out] = best;
                indices[out] = at < 0 ? -1 : (long) base + (columnMajor ? w.columnMajor(at) : at);
            }
        }
        List<RuntimeValue> outs = new ArrayList<>();
        outs.add(NnTensors.of(p.x().dtype(), p.outShape(), y));
        if (ctx.outputCount() > 1) outs.add(Tensor.ofLongs(DType.I64, p.outShape(), indices));
        return outs;
    }

    private static List<RuntimeValue> averagePool(KernelContext ctx) {
        Pooling p = setUp(ctx);
        PoolWindows w = p.windows();
        boolean includePad = ctx.intAttr("count_include_pad", 0) != 0;
        double[] y = new double[p.planes() * w.positions];
        for (int plane = 0; plane < p.planes(); plane++) {
            int base = plane * w.imageVolume;
            for (int o = 0; o < w.positions; o++) {
                double sum = 0;
                for (int t = w.start[o]; t < w.start[o + 1]; t++) sum += p.data()[base + w.taps[t]];
                int count = includePad ? w.padded[o] : w.start[o + 1] - w.start[o];
                y[plane * w.positions + o] = sum / count;
            }
        }
        return List.of(NnTensors.of(p.x().dtype(), p.outShape(), y));
    }

    private static List<RuntimeValue> lpPool(KernelContext ctx) {
        Pooling p = setUp(ctx);
        PoolWindows w = p.windows();
        double norm = norm(ctx);
        double[] y = new double[p.planes() * w.positions];
        for (int plane = 0; plane < p.planes(); plane++) {
            int base = plane * w.imageVolume;
            for (int o = 0; o < w.positions; o++) {
                double sum = 0;
                for (int t = w.start[o]; t < w.start[o + 1]; t++) sum += Math.pow(Math.abs(p.data()[base + w.taps[t]]), norm);
                y[plane * w.positions + o] = Math.pow(sum, 1 / norm);
            }
        }
        return List.of(NnTensors.of(p.x().dtype(), p.outShape(), y));
    }

    /** The p of LpPool and GlobalLpPool: an int since opset 2, a float in opset 1. */
    private static double norm(KernelContext ctx) {
        Attribute p = ctx.attr("p");
        if (p == null) return 2;
        return p.kind() == Attribute.Kind.FLOAT ? p.asFloat() : p.asInt();
    }

    private static List<RuntimeValue> global(KernelContext ctx, String mode) {
        Tensor x = ctx.input(0);
        if (x.rank() < 3) throw ctx.fail("input must have rank >= 3, got " + x.type());
        int planes = (int) (x.dim(0) * x.dim(1));
        int volume = planes == 0 ? 0 : x.size() / planes;
        double[] data = x.toDoubles();
        double norm = norm(ctx);
        double[] y = new double[planes];
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * volume;
            double acc = mode.equals("max") ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < volume; i++) {
                double v = data[base + i];
                switch (mode) {
                    case "max" -> acc = Math.max(acc, v);
                    case "avg" -> acc += v;
                    default -> acc += Math.pow(Math.abs(v), norm);
                }
            }
            y[plane] = switch (mode) {
                case "avg" -> acc / volume;
                case "lp" -> Math.pow(acc, 1 / norm);
                default -> acc;
            };
        }
        long[] shape = x.shape();
        Arrays.fill(shape, 2, shape.length, 1);
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    /**
     * Scatters each value to the flat position its index names in the default output shape ({@code (in - 1) *
     * stride + kernel - pads}); an explicit output_shape then places that result at its origin, zero-filled
     * around it, as ONNX's reference does.
     */
    private static List<RuntimeValue> maxUnpool(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor indices = ctx.input(1);
        if (!Arrays.equals(x.shape(), indices.shape())) throw ctx.fail("indices " + indices.type() + " must match input " + x.type());
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || x.rank() != kernel.length + 2) throw ctx.fail("kernel_shape does not fit input " + x.type());
        long[] inferred = dev.kiln.ir.ops.onnx.PoolOps.unpoolSizes(x.shape(), kernel, ctx.intsAttr("strides"), ctx.intsAttr("pads"));
        long[] shape = ctx.hasInput(2) ? ctx.input(2).toLongs() : inferred;
        if (shape.length != x.rank()) throw ctx.fail("output_shape " + Arrays.toString(shape) + " must have rank " + x.rank());
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < inferred[a]) throw ctx.fail("output_shape " + Arrays.toString(shape) + " is smaller than " + Arrays.toString(inferred));
        }
        int inferredSize = (int) Indexing.product(inferred);
        long[] outStrides = Indexing.strides(shape);
        double[] y = new double[(int) Indexing.product(shape)];
        double[] v = x.toDoubles();
        long[] idx = indices.toLongs();
        long[] at = new long[shape.length];
        for (int i = 0; i < v.length; i++) {
            if (idx[i] < 0 || idx[i] >= inferredSize) throw ctx.fail("index " + idx[i] + " is outside the output of " + inferredSize + " elements");
            Indexing.unravel(idx[i], inferred, at);
            long flat = 0;
            for (int a = 0; a < at.length; a++) flat += at[a] * outStrides[a];
            y[(int) flat] = v[i];
        }
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }
}
