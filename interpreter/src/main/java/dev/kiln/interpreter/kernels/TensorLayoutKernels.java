package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.axes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.longs;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/** Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Expand, Tile, DepthToSpace, SpaceToDepth. */
public final class TensorLayoutKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Reshape", TensorLayoutKernels::reshape,
                "Transpose", TensorLayoutKernels::transpose,
                "Flatten", TensorLayoutKernels::flatten,
                "Squeeze", TensorLayoutKernels::squeeze,
                "Unsqueeze", TensorLayoutKernels::unsqueeze,
                "Expand", TensorLayoutKernels::expand,
                "Tile", TensorLayoutKernels::tile,
                "DepthToSpace", TensorLayoutKernels::depthToSpace,
                "SpaceToDepth", TensorLayoutKernels::spaceToDepth);
    }

    private static List<RuntimeValue> reshape(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] target = ctx.opset() < 5 ? ctx.intsAttr("shape") : longs(ctx, 1, "shape");
        if (target == null) throw ctx.fail("attribute 'shape' is required");
        boolean allowZero = ctx.intAttr("allowzero", 0) != 0;
        long[] in = x.shape();
        long[] out = target.clone();
        int inferred = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) throw ctx.fail("shape " + Arrays.toString(target) + " copies dim " + i + " of " + Shape.format(in));
                out[i] = in[i];
            } else if (out[i] == -1) {
                if (inferred >= 0) throw ctx.fail("shape " + Arrays.toString(target) + " has more than one -1");
                inferred = i;
            } else if (out[i] < -1) {
                throw ctx.fail("shape " + Arrays.toString(target) + " has invalid dimension " + out[i]);
            }
        }
        if (inferred >= 0) {
            long known = 1;
            for (int i = 0; i < out.length; i++) if (i != inferred) known = Math.multiplyExact(known, out[i]);
            if (known == 0 || x.size() % known != 0) {
                throw ctx.fail("cannot reshape " + Shape.format(in) + " to " + Arrays.toString(target));
            }
            out[inferred] = x.size() / known;
        }
        if (TensorKernelSupport.size(ctx, out) != x.size()) {
            throw ctx.fail("cannot reshape " + Shape.format(in) + " to " + Arrays.toString(target));
        }
        return one(x.reshape(out));
    }

    private static List<RuntimeValue> transpose(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        long[] given = ctx.intsAttr("perm");
        int[] perm = new int[rank];
        if (given == null) {
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        } else {
            if (given.length != rank) throw ctx.fail("perm " + Arrays.toString(given) + " does not match rank " + rank);
            perm = axes(ctx, given, rank);
        }
        long[] shape = x.shape();
        return one(ElementBuffer.gather(x, TensorKernelSupport.permute(shape, perm), TensorKernelSupport.transposeMap(shape, perm)));
    }

    private static List<RuntimeValue> flatten(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        long a = ctx.intAttr("axis", 1);
        if (a < -rank || a > rank) throw ctx.fail("axis " + a + " is out of range for rank " + rank);
        int split = (int) (a < 0 ? a + rank : a);
        long outer = 1;
        for (int i = 0; i < split; i++) outer *= x.dim(i);
        long inner = outer == 0 ? Indexing.product(Arrays.copyOfRange(x.shape(), split, rank)) : x.size() / outer;
        return one(x.reshape(outer, inner));
    }

    private static long[] axesArgument(KernelContext ctx) {
        if (ctx.opset() < 13) return ctx.intsAttr("axes");
        return TensorKernelSupport.optionalLongs(ctx, 1, "axes");
    }

    private static List<RuntimeValue> squeeze(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] given = axesArgument(ctx);
        long[] shape = x.shape();
        boolean[] drop = new boolean[shape.length];
        if (given == null || given.length == 0) {
            for (int i = 0; i < shape.length; i++) drop[i] = shape[i] == 1;
        } else {
            for (int a : axes(ctx, given, shape.length)) {
                if (shape[a] != 1) throw ctx.fail("cannot squeeze axis " + a + " of size " + shape[a]);
                drop[a] = true;
            }
        }
        long[] out = new long[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) if (!drop[i]) out[n++] = shape[i];
        return one(x.reshape(Arrays.copyOf(out, n)));
    }

    private static List<RuntimeValue> unsqueeze(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] given = axesArgument(ctx);
        if (given == null || given.length == 0) throw ctx.fail("axes must not be empty");
        int rank = x.rank() + given.length;
        boolean[] inserted = new boolean[rank];
        for (int a : axes(ctx, given, rank)) inserted[a] = true;
        long[] out = new long[rank];
        int next = 0;
        for (int i = 0; i < rank; i++) out[i] = inserted[i] ? 1 : x.dim(next++);
        return one(x.reshape(out));
    }

    private static List<RuntimeValue> expand(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] target = longs(ctx, 1, "shape");
        long[] out;
        try {
            out = Indexing.broadcastShape(x.shape(), target);
        } catch (IllegalArgumentException e) {
            throw ctx.fail("cannot expand " + Shape.format(x.shape()) + " to " + Arrays.toString(target));
        }
        TensorKernelSupport.size(ctx, out);
        return one(ElementBuffer.gather(x, out, Indexing.broadcastMap(x.shape(), out)));
    }

    private static List<RuntimeValue> tile(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        long[] repeats;
        if (ctx.opset() < 6) {
            // Tile-1: a number of copies (input 1) along one axis (input 2)
            repeats = new long[rank];
            Arrays.fill(repeats, 1);
            repeats[TensorKernelSupport.axis(ctx, TensorKernelSupport.scalarLong(ctx, 2, "axis"), rank)] =
                    TensorKernelSupport.scalarLong(ctx, 1, "tiles");
        } else {
            repeats = longs(ctx, 1, "repeats");
        }
        if (repeats.length != rank) throw ctx.fail("repeats " + Arrays.toString(repeats) + " do not match rank " + rank);
        long[] in = x.shape();
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (repeats[i] < 0) throw ctx.fail("repeats must not be negative, got " + Arrays.toString(repeats));
            out[i] = Math.multiplyExact(in[i], repeats[i]);
        }
        int n = TensorKernelSupport.size(ctx, out);
        long[] strides = Indexing.strides(in);
        int[] map = new int[n];
        long[] idx = new long[rank];
        for (int flat = 0; flat < n; flat++) {
            Indexing.unravel(flat, out, idx);
            long src = 0;
            for (int d = 0; d < rank; d++) src += (idx[d] % in[d]) * strides[d];
            map[flat] = (int) src;
        }
        return one(ElementBuffer.gather(x, out, map));
    }

    private static long blocksize(KernelContext ctx, Tensor x) {
        long b = ctx.intAttr("blocksize", 0);
        if (b <= 0) throw ctx.fail("blocksize must be positive, got " + b);
        if (x.rank() != 4) throw ctx.fail("input must be 4-D (NCHW), got " + Shape.format(x.shape()));
        return b;
    }

    /** DepthToSpace as the spec defines it: a reshape to 6-D, a transpose, and a reshape back to 4-D. */
    private static List<RuntimeValue> depthToSpace(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long b = blocksize(ctx, x);
        long n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (c % (b * b) != 0) throw ctx.fail("channels " + c + " are not divisible by blocksize² " + b * b);
        boolean crd = ctx.stringAttr("mode", "DCR").equals("CRD");
        long[] sixD = crd ? new long[] {n, c / (b * b), b, b, h, w} : new long[] {n, b, b, c / (b * b), h, w};
        int[] perm = crd ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2};
        long[] out = {n, c / (b * b), h * b, w * b};
        return one(ElementBuffer.gather(x, out, TensorKernelSupport.transposeMap(sixD, perm)));
    }

    private static List<RuntimeValue> spaceToDepth(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long b = blocksize(ctx, x);
        long n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (h % b != 0 || w % b != 0) throw ctx.fail("height and width must be divisible by blocksize " + b);
        long[] sixD = {n, c, h / b, b, w / b, b};
        int[] perm = {0, 3, 5, 1, 2, 4};
        long[] out = {n, c * b * b, h / b, w / b};
        return one(ElementBuffer.gather(x, out, TensorKernelSupport.transposeMap(sixD, perm)));
    }
}
