package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.kernels.TensorKernelSupport.ElementOrder;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/** Ops that order elements: ArgMax, ArgMin, TopK, Unique. */
public final class TensorOrderKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "ArgMax", ctx -> argExtreme(ctx, true),
                "ArgMin", ctx -> argExtreme(ctx, false),
                "TopK", TensorOrderKernels::topK,
                "Unique", TensorOrderKernels::unique);
    }

    private static ElementOrder order(KernelContext ctx, Tensor t) {
        if (t.dtype() == DType.STRING || t.dtype().kind() == DType.Kind.COMPLEX) throw ctx.fail("cannot order " + t.dtype() + " values");
        return TensorKernelSupport.order(t);
    }

    private static List<RuntimeValue> argExtreme(KernelContext ctx, boolean max) {
        Tensor x = ctx.input(0);
        ElementOrder order = order(ctx, x);
        int ax = axis(ctx, ctx.intAttr("axis", 0), x.rank());
        boolean keep = ctx.intAttr("keepdims", 1) != 0;
        boolean last = ctx.intAttr("select_last_index", 0) != 0;
        long[] shape = x.shape();
        int[] around = aroundAxis(shape, ax);
        int outer = around[0], dim = around[1], inner = around[2];
        if (dim == 0) throw ctx.fail("cannot find an extreme along an empty axis");
        long[] out = shape.clone();
        out[ax] = 1;
        if (!keep) {
            long[] dropped = new long[shape.length - 1];
            for (int d = 0, j = 0; d < shape.length; d++) if (d != ax) dropped[j++] = shape[d];
            out = dropped;
        }
        Tensor result = Tensor.zeros(DType.I64, out);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                for (int k = 1; k < dim; k++) {
                    int c = order.compare((o * dim + k) * inner + i, (o * dim + best) * inner + i);
                    if (!max) c = -c;
                    if (c > 0 || (c == 0 && last)) best = k;
                }
                result.setLong(o * inner + i, best);
            }
        }
        return one(result);
    }

    private static List<RuntimeValue> topK(KernelContext ctx) {
        Tensor x = ctx.input(0);
        ElementOrder order = order(ctx, x);
        long k = ctx.opset() < 10 ? ctx.intAttr("k", -1) : TensorKernelSupport.scalarLong(ctx, 1, "k");
        int ax = axis(ctx, ctx.intAttr("axis", -1), x.rank());
        boolean largest = ctx.intAttr("largest", 1) != 0;
        long[] shape = x.shape();
        int[] around = aroundAxis(shape, ax);
        int outer = around[0], dim = around[1], inner = around[2];
        if (k < 0 || k > dim) throw ctx.fail("k " + k + " is out of range for an axis of " + dim);
        long[] out = shape.clone();
        out[ax] = k;
        int[] map = new int[TensorKernelSupport.size(ctx, out)];
        Tensor indices = Tensor.zeros(DType.I64, out);
        Integer[] ranks = new Integer[dim];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * dim * inner + i;
                for (int j = 0; j < dim; j++) ranks[j] = j;
                // ties keep the lower index first, for largest and smallest alike
                Comparator<Integer> byValue = (a, b) -> order.compare(base + a * inner, base + b * inner);
                Arrays.sort(ranks, largest ? byValue.reversed().thenComparing(Comparator.naturalOrder()) : byValue);
                for (int j = 0; j < k; j++) {
                    int at = (int) ((o * k + j) * inner + i);
                    map[at] = base + ranks[j] * inner;
                    indices.setLong(at, ranks[j]);
                }
            }
        }
        return List.of(ElementBuffer.gather(x, out, map), indices);
    }

    /**
     * Unique over single elements (no axis) or over the slices along an axis, compared lexicographically.
     * Outputs: the unique values (sorted, or in order of first occurrence), the index of each one's first
     * occurrence, each input's position among the unique values, and the counts.
     */
    private static List<RuntimeValue> unique(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.dtype().kind() == DType.Kind.COMPLEX) throw ctx.fail("cannot order " + x.dtype() + " values");
        ElementOrder order = TensorKernelSupport.order(x);
        boolean flat = ctx.attr("axis") == null;
        long[] shape = flat ? new long[] {x.size()} : x.shape();
        int ax = flat ? 0 : axis(ctx, ctx.intAttr("axis", 0), x.rank());
        int[] around = aroundAxis(shape, ax);
        int outer = around[0], dim = around[1], inner = around[2];
        Comparator<Integer> bySlice = (a, b) -> {
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int c = order.compare((o * dim + a) * inner + i, (o * dim + b) * inner + i);
                    if (c != 0) return c;
                }
            }
            return 0;
        };
        Integer[] sorted = new Integer[dim];
        for (int j = 0; j < dim; j++) sorted[j] = j;
        Arrays.sort(sorted, bySlice.thenComparing(Comparator.naturalOrder()));
        List<Integer> firsts = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        int[] group = new int[dim];
        for (int j = 0; j < dim; j++) {
            if (j == 0 || bySlice.compare(sorted[j - 1], sorted[j]) != 0) {
                firsts.add(sorted[j]);
                counts.add(0L);
            }
            group[sorted[j]] = firsts.size() - 1;
            counts.set(firsts.size() - 1, counts.getLast() + 1);
        }
        int u = firsts.size();
        Integer[] position = new Integer[u];
        for (int g = 0; g < u; g++) position[g] = g;
        if (ctx.intAttr("sorted", 1) == 0) Arrays.sort(position, Comparator.comparing(firsts::get));
        int[] rankOfGroup = new int[u];
        for (int p = 0; p < u; p++) rankOfGroup[position[p]] = p;
        long[] yShape = shape.clone();
        yShape[ax] = u;
        int[] map = new int[outer * u * inner];
        Tensor indices = Tensor.zeros(DType.I64, u);
        Tensor countT = Tensor.zeros(DType.I64, u);
        for (int p = 0; p < u; p++) {
            int first = firsts.get(position[p]);
            indices.setLong(p, first);
            countT.setLong(p, counts.get(position[p]));
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) map[(o * u + p) * inner + i] = (o * dim + first) * inner + i;
            }
        }
        Tensor inverse = Tensor.zeros(DType.I64, dim);
        for (int j = 0; j < dim; j++) inverse.setLong(j, rankOfGroup[group[j]]);
        return List.of(ElementBuffer.gather(x, yShape, map), indices, inverse, countT);
    }
}
