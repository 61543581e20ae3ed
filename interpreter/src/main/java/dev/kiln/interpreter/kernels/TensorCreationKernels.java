package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ops.onnx.TensorCreationOps;
import dev.kiln.ir.ops.onnx.TensorOpRules;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.longs;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/** Shape, Size, Constant, ConstantOfShape, Range, EyeLike, OneHot, Trilu. */
public final class TensorCreationKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Shape", TensorCreationKernels::shape,
                "Size", ctx -> one(Tensor.ofLongs(DType.I64, new long[0], ctx.input(0).size())),
                "Constant", TensorCreationKernels::constant,
                "ConstantOfShape", TensorCreationKernels::constantOfShape,
                "Range", TensorCreationKernels::range,
                "EyeLike", TensorCreationKernels::eyeLike,
                "OneHot", TensorCreationKernels::oneHot,
                "Trilu", TensorCreationKernels::trilu);
    }

    private static List<RuntimeValue> shape(KernelContext ctx) {
        long[] shape = ctx.input(0).shape();
        Long end = ctx.attr("end") == null ? null : ctx.intAttr("end", 0);
        int[] window = TensorOpRules.shapeWindow(ctx.intAttr("start", 0), end, shape.length);
        long[] dims = Arrays.copyOfRange(shape, window[0], window[0] + window[1]);
        return one(Tensor.ofLongs(DType.I64, new long[] {dims.length}, dims));
    }

    private static List<RuntimeValue> constant(KernelContext ctx) {
        try {
            return one(TensorCreationOps.constantValue(ctx.node()));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<RuntimeValue> constantOfShape(KernelContext ctx) {
        long[] shape = longs(ctx, 0, "shape");
        for (long d : shape) if (d < 0) throw ctx.fail("shape must not be negative, got " + Shape.format(shape));
        Tensor fill = TensorCreationOps.fillValue(ctx.attr("value"));
        if (fill.size() != 1) throw ctx.fail("value must hold exactly one element, got " + fill.size());
        int n = TensorKernelSupport.size(ctx, shape);
        DType dtype = fill.dtype();
        if (!dtype.isFloat() && !dtype.isInteger() && dtype != DType.BOOL) return one(ElementBuffer.gather(fill, shape, new int[n]));
        // written in place: light models build every weight (VGG's largest: 100M elements) with this op
        Tensor out = Tensor.zeros(dtype, shape);
        if (dtype.isFloat()) {
            double v = fill.getDouble(0);
            if (Double.doubleToRawLongBits(v) != 0) for (int i = 0; i < n; i++) out.setDouble(i, v);
        } else {
            long v = fill.getLong(0);
            if (v != 0) for (int i = 0; i < n; i++) out.setLong(i, v);
        }
        return one(out);
    }

    private static List<RuntimeValue> range(KernelContext ctx) {
        Tensor start = ctx.input(0), limit = ctx.input(1), delta = ctx.input(2);
        DType dtype = start.dtype();
        if (limit.dtype() != dtype || delta.dtype() != dtype) throw ctx.fail("start, limit and delta must share a type");
        if (start.size() != 1 || limit.size() != 1 || delta.size() != 1) throw ctx.fail("start, limit and delta must be scalars");
        TensorKernelSupport.requireNumeric(ctx, start, "start");
        try {
            if (dtype.isFloat()) {
                double s = start.getDouble(0), d = delta.getDouble(0);
                long n = TensorOpRules.rangeCount(s, limit.getDouble(0), d);
                Tensor out = Tensor.zeros(dtype, n);
                for (int i = 0; i < n; i++) out.setDouble(i, s + i * d);
                return one(out);
            }
            long s = start.getLong(0), d = delta.getLong(0);
            long n = TensorOpRules.rangeCount(s, limit.getLong(0), d);
            Tensor out = Tensor.zeros(dtype, n);
            for (int i = 0; i < n; i++) out.setLong(i, s + i * d);
            return one(out);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<RuntimeValue> eyeLike(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() != 2) throw ctx.fail("input must be 2-D, got " + Shape.format(x.shape()));
        DType dtype = x.dtype();
        if (ctx.attr("dtype") != null) {
            try {
                dtype = DType.fromOnnxCode((int) ctx.intAttr("dtype", 0));
            } catch (IllegalArgumentException e) {
                throw ctx.fail(e.getMessage());
            }
        }
        long k = ctx.intAttr("k", 0);
        long rows = x.dim(0), cols = x.dim(1);
        Tensor out = Tensor.zeros(dtype, rows, cols);
        for (long i = 0; i < rows; i++) {
            long j = i + k;
            if (j >= 0 && j < cols) out.setLong((int) (i * cols + j), 1);
        }
        return one(out);
    }

    private static List<RuntimeValue> oneHot(KernelContext ctx) {
        Tensor indices = ctx.input(0), depthT = ctx.input(1), values = ctx.input(2);
        TensorKernelSupport.requireNumeric(ctx, indices, "indices");
        TensorKernelSupport.requireNumeric(ctx, depthT, "depth");
        if (depthT.size() != 1) throw ctx.fail("depth must hold one value, got " + depthT.size());
        if (values.size() != 2) throw ctx.fail("values must hold [off, on], got " + values.size() + " elements");
        long depth = (long) depthT.getDouble(0);
        if (depth <= 0) throw ctx.fail("depth must be positive, got " + depth);
        int rank = indices.rank() + 1;
        int ax = axis(ctx, ctx.intAttr("axis", -1), rank);
        long[] out = new long[rank];
        long[] in = indices.shape();
        for (int d = 0, j = 0; d < rank; d++) out[d] = d == ax ? depth : in[j++];
        int[] around = aroundAxis(out, ax);
        int outer = around[0], inner = around[2];
        int[] map = new int[TensorKernelSupport.size(ctx, out)];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                long hot = (long) indices.getDouble(o * inner + i);
                if (hot < 0) hot += depth;
                for (int k = 0; k < depth; k++) map[(int) ((o * depth + k) * inner + i)] = k == hot ? 1 : 0;
            }
        }
        return one(ElementBuffer.gather(values, out, map));
    }

    private static List<RuntimeValue> trilu(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + Shape.format(x.shape()));
        long k = ctx.hasInput(1) ? TensorKernelSupport.scalarLong(ctx, 1, "k") : 0;
        boolean upper = ctx.intAttr("upper", 1) != 0;
        long rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
        int[] map = new int[x.size()];
        for (int flat = 0; flat < map.length; flat++) {
            long j = flat % cols;
            long i = (flat / cols) % rows;
            boolean keep = upper ? j - i >= k : j - i <= k;
            map[flat] = keep ? flat : -1;
        }
        return one(ElementBuffer.gather(x, x.shape(), map, Tensor.zeros(x.dtype())));
    }
}
