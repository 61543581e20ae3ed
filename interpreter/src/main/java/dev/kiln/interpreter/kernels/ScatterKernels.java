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

/** Scatter, ScatterElements, ScatterND (with their reductions) and TensorScatter. */
public final class ScatterKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Scatter", ScatterKernels::scatterElements,
                "ScatterElements", ScatterKernels::scatterElements,
                "ScatterND", ScatterKernels::scatterNd,
                "TensorScatter", ScatterKernels::tensorScatter);
    }

    /**
     * The output being built: a copy of data that updates are written into, either as stored (reduction none,
     * any element type) or combined arithmetically with what is there.
     */
    private static final class Target {
        private final String reduction;
        private final ElementBuffer raw;
        private final ElementBuffer updates;
        private final Tensor numeric;
        private final Tensor numericUpdates;

        Target(KernelContext ctx, Tensor data, Tensor updates) {
            this.reduction = ctx.stringAttr("reduction", "none");
            if (updates.dtype() != data.dtype()) throw ctx.fail("updates are " + updates.dtype() + ", data is " + data.dtype());
            if (reduction.equals("none")) {
                raw = ElementBuffer.copyOf(data);
                this.updates = ElementBuffer.copyOf(updates);
                numeric = null;
                numericUpdates = null;
            } else {
                if (!List.of("add", "mul", "max", "min").contains(reduction)) throw ctx.fail("unknown reduction '" + reduction + "'");
                if (!data.dtype().isFloat() && !data.dtype().isInteger() && data.dtype() != DType.BOOL) {
                    throw ctx.fail("reduction " + reduction + " does not support " + data.dtype());
                }
                raw = null;
                this.updates = null;
                numeric = data.copy();
                numericUpdates = updates;
            }
        }

        /** Applies update element {@code from} to output element {@code to}. */
        void apply(int to, int from) {
            if (raw != null) {
                raw.copy(to, updates, from);
            } else if (numeric.dtype().isFloat()) {
                double a = numeric.getDouble(to), b = numericUpdates.getDouble(from);
                numeric.setDouble(to, switch (reduction) {
                    case "add" -> a + b;
                    case "mul" -> a * b;
                    case "max" -> Math.max(a, b);
                    default -> Math.min(a, b);
                });
            } else {
                long a = numeric.getLong(to), b = numericUpdates.getLong(from);
                boolean unsigned = numeric.dtype() == DType.U64;
                numeric.setLong(to, switch (reduction) {
                    case "add" -> a + b;
                    case "mul" -> a * b;
                    case "max" -> (unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b)) >= 0 ? a : b;
                    default -> (unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b)) <= 0 ? a : b;
                });
            }
        }

        Tensor result(long[] shape) { return raw != null ? raw.toTensor(shape) : numeric; }
    }

    private static List<RuntimeValue> scatterElements(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        Tensor updates = ctx.input(2);
        long[] idx = longs(ctx, 1, "indices");
        int rank = data.rank();
        if (rank == 0 || indices.rank() != rank || !Arrays.equals(indices.shape(), updates.shape())) {
            throw ctx.fail("indices " + Shape.format(indices.shape()) + " and updates " + Shape.format(updates.shape())
                    + " must match each other and the rank of data " + Shape.format(data.shape()));
        }
        int ax = axis(ctx, ctx.intAttr("axis", 0), rank);
        long[] ds = data.shape();
        long[] is = indices.shape();
        for (int d = 0; d < rank; d++) {
            if (d != ax && is[d] > ds[d]) throw ctx.fail("indices " + Shape.format(is) + " exceed data " + Shape.format(ds) + " on dim " + d);
        }
        Target target = new Target(ctx, data, updates);
        long[] strides = Indexing.strides(ds);
        long[] pos = new long[rank];
        for (int flat = 0; flat < idx.length; flat++) {
            Indexing.unravel(flat, is, pos);
            pos[ax] = index(ctx, idx[flat], ds[ax], "index");
            long to = 0;
            for (int d = 0; d < rank; d++) to += pos[d] * strides[d];
            target.apply((int) to, flat);
        }
        return one(target.result(ds));
    }

    private static List<RuntimeValue> scatterNd(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        Tensor updates = ctx.input(2);
        long[] idx = longs(ctx, 1, "indices");
        long[] ds = data.shape();
        long[] is = indices.shape();
        if (is.length == 0) throw ctx.fail("indices must have rank >= 1");
        int k = (int) is[is.length - 1];
        if (k > ds.length) throw ctx.fail("indices " + Shape.format(is) + " index more dims than data " + Shape.format(ds) + " has");
        long[] expected = new long[is.length - 1 + ds.length - k];
        System.arraycopy(is, 0, expected, 0, is.length - 1);
        System.arraycopy(ds, k, expected, is.length - 1, ds.length - k);
        if (!Arrays.equals(updates.shape(), expected)) {
            throw ctx.fail("updates must have shape " + Shape.format(expected) + ", got " + Shape.format(updates.shape()));
        }
        Target target = new Target(ctx, data, updates);
        long[] strides = Indexing.strides(ds);
        int slice = (int) Indexing.product(Arrays.copyOfRange(ds, k, ds.length));
        int tuples = k == 0 ? (int) Indexing.product(Arrays.copyOf(is, is.length - 1)) : idx.length / k;
        for (int t = 0; t < tuples; t++) {
            long base = 0;
            for (int j = 0; j < k; j++) base += index(ctx, idx[t * k + j], ds[j], "index") * strides[j];
            for (int s = 0; s < slice; s++) target.apply((int) base + s, t * slice + s);
        }
        return one(target.result(ds));
    }

    private static List<RuntimeValue> tensorScatter(KernelContext ctx) {
        Tensor cache = ctx.input(0);
        Tensor update = ctx.input(1);
        if (update.dtype() != cache.dtype()) throw ctx.fail("update is " + update.dtype() + ", past_cache is " + cache.dtype());
        int rank = cache.rank();
        if (rank < 2 || update.rank() != rank) throw ctx.fail("past_cache and update must share a rank >= 2");
        int ax = axis(ctx, ctx.intAttr("axis", -2), rank);
        if (ax == 0) throw ctx.fail("axis must not be the batch axis");
        long[] cs = cache.shape();
        long[] us = update.shape();
        for (int d = 0; d < rank; d++) {
            if (d != ax && cs[d] != us[d]) throw ctx.fail("update " + Shape.format(us) + " does not match past_cache " + Shape.format(cs));
        }
        long batches = cs[0];
        long[] writeAt = ctx.hasInput(2) ? longs(ctx, 2, "write_indices") : new long[(int) batches];
        if (writeAt.length != batches) throw ctx.fail("write_indices has " + writeAt.length + " values for a batch of " + batches);
        boolean circular = ctx.stringAttr("mode", "linear").equals("circular");
        int[] around = aroundAxis(cs, ax);
        int outer = around[0], maxSeq = around[1], inner = around[2];
        int seq = (int) us[ax];
        int perBatch = outer / (int) Math.max(1, batches);
        ElementBuffer out = ElementBuffer.copyOf(cache);
        ElementBuffer src = ElementBuffer.copyOf(update);
        for (int o = 0; o < outer; o++) {
            long start = writeAt[o / perBatch];
            for (int s = 0; s < seq; s++) {
                long pos = circular ? Math.floorMod(start + s, (long) maxSeq) : start + s;
                if (pos < 0 || pos >= maxSeq) throw ctx.fail("write index " + (start + s) + " is past the cache length " + maxSeq);
                out.copyRange((int) ((o * (long) maxSeq + pos) * inner), src, (o * seq + s) * inner, inner);
            }
        }
        return one(out.toTensor(cs));
    }
}
