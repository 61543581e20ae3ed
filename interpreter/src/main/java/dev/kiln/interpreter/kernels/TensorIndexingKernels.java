package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.index;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.longs;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/** Gather, GatherElements, GatherND, NonZero, Compress, ReverseSequence. */
public final class TensorIndexingKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Gather", TensorIndexingKernels::gather,
                "GatherElements", TensorIndexingKernels::gatherElements,
                "GatherND", TensorIndexingKernels::gatherNd,
                "NonZero", TensorIndexingKernels::nonZero,
                "Compress", TensorIndexingKernels::compress,
                "ReverseSequence", TensorIndexingKernels::reverseSequence);
    }

    private static List<RuntimeValue> gather(KernelContext ctx) {
        Tensor data = ctx.input(0);
        long[] idx = longs(ctx, 1, "indices");
        if (data.rank() == 0) throw ctx.fail("data must have rank >= 1");
        int ax = axis(ctx, ctx.intAttr("axis", 0), data.rank());
        long[] ds = data.shape();
        long[] is = ctx.input(1).shape();
        long[] out = new long[ds.length - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, ax);
        System.arraycopy(is, 0, out, ax, is.length);
        System.arraycopy(ds, ax + 1, out, ax + is.length, ds.length - ax - 1);
        int[] around = aroundAxis(ds, ax);
        int outer = around[0], dim = around[1], inner = around[2];
        int[] map = new int[TensorKernelSupport.size(ctx, out)];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (long i : idx) {
                int k = index(ctx, i, dim, "index");
                for (int j = 0; j < inner; j++) map[at++] = (o * dim + k) * inner + j;
            }
        }
        return one(ElementBuffer.gather(data, out, map));
    }

    private static List<RuntimeValue> gatherElements(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        long[] idx = longs(ctx, 1, "indices");
        int rank = data.rank();
        if (rank == 0 || indices.rank() != rank) throw ctx.fail("indices and data must have the same rank >= 1");
        int ax = axis(ctx, ctx.intAttr("axis", 0), rank);
        long[] ds = data.shape();
        long[] is = indices.shape();
        for (int d = 0; d < rank; d++) {
            if (d != ax && is[d] > ds[d]) throw ctx.fail("indices " + Shape.format(is) + " exceed data " + Shape.format(ds) + " on dim " + d);
        }
        long[] strides = Indexing.strides(ds);
        int[] map = new int[idx.length];
        long[] pos = new long[rank];
        for (int flat = 0; flat < idx.length; flat++) {
            Indexing.unravel(flat, is, pos);
            pos[ax] = index(ctx, idx[flat], ds[ax], "index");
            long src = 0;
            for (int d = 0; d < rank; d++) src += pos[d] * strides[d];
            map[flat] = (int) src;
        }
        return one(ElementBuffer.gather(data, is, map));
    }

    private static List<RuntimeValue> gatherNd(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        long[] idx = longs(ctx, 1, "indices");
        long[] ds = data.shape();
        long[] is = indices.shape();
        int b = (int) ctx.intAttr("batch_dims", 0);
        if (is.length == 0 || b < 0 || b >= Math.min(ds.length, is.length)) throw ctx.fail("batch_dims " + b + " is out of range");
        int m = (int) is[is.length - 1];
        if (m < 1 || b + m > ds.length) throw ctx.fail("indices " + Shape.format(is) + " index too many dims of data " + Shape.format(ds));
        for (int d = 0; d < b; d++) {
            if (is[d] != ds[d]) throw ctx.fail("batch dims of data " + Shape.format(ds) + " and indices " + Shape.format(is) + " differ");
        }
        long[] out = new long[is.length - 1 + ds.length - b - m];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(ds, b + m, out, is.length - 1, ds.length - b - m);
        int batches = (int) Indexing.product(Arrays.copyOf(ds, b));
        int tuples = (int) (Indexing.product(Arrays.copyOf(is, is.length - 1)) / Math.max(batches, 1));
        int slice = (int) Indexing.product(Arrays.copyOfRange(ds, b + m, ds.length));
        long[] strides = Indexing.strides(ds);
        int batchStride = b == 0 ? 0 : (int) strides[b - 1];
        int[] map = new int[TensorKernelSupport.size(ctx, out)];
        int at = 0;
        for (int batch = 0; batch < batches; batch++) {
            for (int t = 0; t < tuples; t++) {
                int tuple = (batch * tuples + t) * m;
                long base = (long) batch * batchStride;
                for (int j = 0; j < m; j++) base += index(ctx, idx[tuple + j], ds[b + j], "index") * strides[b + j];
                for (int s = 0; s < slice; s++) map[at++] = (int) base + s;
            }
        }
        return one(ElementBuffer.gather(data, out, map));
    }

    private static List<RuntimeValue> nonZero(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.dtype() == DType.STRING || x.dtype().kind() == DType.Kind.COMPLEX) throw ctx.fail("NonZero does not support " + x.dtype());
        long[] shape = x.shape();
        int rank = shape.length;
        int count = 0;
        for (int i = 0; i < x.size(); i++) if (x.getBoolean(i)) count++;
        // a scalar is treated as a 1-element vector, as NumPy's nonzero does
        int rows = Math.max(rank, 1);
        Tensor out = Tensor.zeros(DType.I64, rank, count);
        long[] pos = new long[rows];
        long[] shapeAsVector = rank == 0 ? new long[] {1} : shape;
        int col = 0;
        for (int i = 0; i < x.size(); i++) {
            if (!x.getBoolean(i)) continue;
            Indexing.unravel(i, shapeAsVector, pos);
            for (int d = 0; d < rank; d++) out.setLong(d * count + col, pos[d]);
            col++;
        }
        return one(out);
    }

    private static List<RuntimeValue> compress(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor condition = ctx.input(1);
        if (condition.dtype() != DType.BOOL || condition.rank() != 1) throw ctx.fail("condition must be a 1-D bool tensor");
        boolean flat = ctx.attr("axis") == null;
        long[] shape = flat ? new long[] {x.size()} : x.shape();
        int ax = flat ? 0 : axis(ctx, ctx.intAttr("axis", 0), x.rank());
        int[] around = aroundAxis(shape, ax);
        int outer = around[0], dim = around[1], inner = around[2];
        if (condition.size() > dim) throw ctx.fail("condition has " + condition.size() + " values for a dim of " + dim);
        int kept = 0;
        for (int i = 0; i < condition.size(); i++) if (condition.getBoolean(i)) kept++;
        long[] out = shape.clone();
        out[ax] = kept;
        int[] map = new int[outer * kept * inner];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < condition.size(); k++) {
                if (!condition.getBoolean(k)) continue;
                for (int i = 0; i < inner; i++) map[at++] = (o * dim + k) * inner + i;
            }
        }
        return one(ElementBuffer.gather(x, out, map));
    }

    private static List<RuntimeValue> reverseSequence(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] lens = longs(ctx, 1, "sequence_lens");
        if (x.rank() < 2) throw ctx.fail("input must have rank >= 2");
        int batchAxis = axis(ctx, ctx.intAttr("batch_axis", 1), x.rank());
        int timeAxis = axis(ctx, ctx.intAttr("time_axis", 0), x.rank());
        if (batchAxis == timeAxis || batchAxis > 1 || timeAxis > 1) throw ctx.fail("batch_axis and time_axis must be 0 and 1 in some order");
        long[] shape = x.shape();
        long batches = shape[batchAxis], steps = shape[timeAxis];
        if (lens.length != batches) throw ctx.fail("sequence_lens has " + lens.length + " values for a batch of " + batches);
        long inner = x.size() / Math.max(1, batches * steps);
        long[] strides = Indexing.strides(shape);
        int[] map = new int[x.size()];
        for (int i = 0; i < map.length; i++) map[i] = i;
        for (int b = 0; b < batches; b++) {
            if (lens[b] < 0 || lens[b] > steps) throw ctx.fail("sequence length " + lens[b] + " is out of range [0, " + steps + "]");
            for (int t = 0; t < lens[b]; t++) {
                long to = b * strides[batchAxis] + t * strides[timeAxis];
                long from = b * strides[batchAxis] + (lens[b] - 1 - t) * strides[timeAxis];
                for (int i = 0; i < inner; i++) map[(int) (to + i)] = (int) (from + i);
            }
        }
        return one(ElementBuffer.gather(x, shape, map));
    }
}
