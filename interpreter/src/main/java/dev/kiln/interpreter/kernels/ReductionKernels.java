package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ops.onnx.ReductionOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.interpreter.kernels.TensorKernelSupport.aroundAxis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axes;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.axis;
import static dev.kiln.interpreter.kernels.TensorKernelSupport.one;

/**
 * The Reduce* ops, CumSum, CumProd and Det. Floats accumulate in double, integers in long (wrapping as the
 * element type does); a reduction over no elements gives the operation's identity (0 for sums, 1 for products,
 * -inf for max, and so on).
 */
public final class ReductionKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> all = new HashMap<>();
        for (String op : List.of("ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceProd", "ReduceL1",
                "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare")) {
            all.put(op, ctx -> reduce(ctx, op));
        }
        all.put("CumSum", ctx -> scan(ctx, false));
        all.put("CumProd", ctx -> scan(ctx, true));
        all.put("Det", ReductionKernels::det);
        return all;
    }

    private static List<RuntimeValue> reduce(KernelContext ctx, String op) {
        Tensor x = ctx.input(0);
        DType dtype = x.dtype();
        boolean extreme = op.equals("ReduceMax") || op.equals("ReduceMin");
        if (!(dtype.isFloat() || dtype.isInteger() || (extreme && dtype == DType.BOOL))) {
            throw ctx.fail(op + " does not support " + dtype + " input");
        }
        int rank = x.rank();
        boolean axesAreInput = ctx.opset() >= ReductionOps.axesInputSince(op);
        long[] given = axesAreInput ? TensorKernelSupport.optionalLongs(ctx, 1, "axes") : ctx.intsAttr("axes");
        boolean[] reduced = new boolean[rank];
        if (given == null || given.length == 0) {
            if (axesAreInput && ctx.intAttr("noop_with_empty_axes", 0) != 0) return one(x);
            Arrays.fill(reduced, true);
        } else {
            for (int a : axes(ctx, given, rank)) reduced[a] = true;
        }
        long[] shape = x.shape();
        long[] kept = shape.clone();
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                kept[d] = 1;
                count *= shape[d];
            }
        }
        int[] target = outputIndex(shape, kept);
        int outSize = (int) Indexing.product(kept);
        Tensor out = Tensor.zeros(dtype, ctx.intAttr("keepdims", 1) != 0 ? kept : dropReduced(shape, reduced));
        if (dtype.isFloat()) {
            double[] r = ReductionMath.floats(op, x.toDoubles(), target, outSize, count);
            for (int i = 0; i < outSize; i++) out.setDouble(i, r[i]);
        } else {
            if (op.equals("ReduceMean") || op.equals("ReduceL2") || op.equals("ReduceLogSum") || op.equals("ReduceLogSumExp")) {
                // results that are not whole numbers: computed in double, then truncated to the integer type
                double[] r = ReductionMath.floats(op, x.toDoubles(), target, outSize, count);
                for (int i = 0; i < outSize; i++) out.setDouble(i, r[i]);
            } else {
                long[] r = ReductionMath.integers(op, dtype, x.toLongs(), target, outSize);
                for (int i = 0; i < outSize; i++) out.setLong(i, r[i]);
            }
        }
        return one(out);
    }

    /** For each input element, the flat index of the output element it reduces into (kept dims as given). */
    private static int[] outputIndex(long[] shape, long[] kept) {
        int n = (int) Indexing.product(shape);
        int[] target = new int[n];
        long[] outStrides = Indexing.strides(kept);
        long[] idx = new long[shape.length];
        for (int flat = 0; flat < n; flat++) {
            long t = 0;
            for (int d = 0; d < shape.length; d++) if (kept[d] == shape[d]) t += idx[d] * outStrides[d];
            target[flat] = (int) t;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return target;
    }

    private static long[] dropReduced(long[] shape, boolean[] reduced) {
        long[] out = new long[shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) if (!reduced[d]) out[n++] = shape[d];
        return Arrays.copyOf(out, n);
    }

    /** CumSum or CumProd along the axis input, optionally exclusive and/or from the end. */
    private static List<RuntimeValue> scan(KernelContext ctx, boolean product) {
        Tensor x = ctx.input(0);
        TensorKernelSupport.requireNumeric(ctx, x, "x");
        int ax = axis(ctx, TensorKernelSupport.scalarLong(ctx, 1, "axis"), x.rank());
        boolean exclusive = ctx.intAttr("exclusive", 0) != 0;
        boolean reverse = ctx.intAttr("reverse", 0) != 0;
        int[] around = aroundAxis(x.shape(), ax);
        int outer = around[0], dim = around[1], inner = around[2];
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        boolean floats = x.dtype().isFloat();
        double[] dv = floats ? x.toDoubles() : null;
        long[] lv = floats ? null : x.toLongs();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double dAcc = product ? 1 : 0;
                long lAcc = product ? 1 : 0;
                for (int step = 0; step < dim; step++) {
                    int k = reverse ? dim - 1 - step : step;
                    int at = (o * dim + k) * inner + i;
                    if (exclusive) store(out, at, floats, dAcc, lAcc);
                    if (floats) dAcc = product ? dAcc * dv[at] : dAcc + dv[at];
                    else lAcc = product ? lAcc * lv[at] : lAcc + lv[at];
                    if (!exclusive) store(out, at, floats, dAcc, lAcc);
                }
            }
        }
        return one(out);
    }

    private static void store(Tensor out, int at, boolean floats, double d, long l) {
        if (floats) out.setDouble(at, d);
        else out.setLong(at, l);
    }

    /** Determinants of the trailing square matrices, by LU decomposition with partial pivoting in double. */
    private static List<RuntimeValue> det(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (!x.dtype().isFloat()) throw ctx.fail("X must be a floating-point tensor, got " + x.dtype());
        long[] shape = x.shape();
        int rank = shape.length;
        if (rank < 2 || shape[rank - 1] != shape[rank - 2]) throw ctx.fail("X must hold square matrices, got " + Shape.format(shape));
        int n = (int) shape[rank - 1];
        long[] outShape = Arrays.copyOf(shape, rank - 2);
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        double[] all = x.toDoubles();
        double[] a = new double[n * n];
        for (int m = 0; m < out.size(); m++) {
            System.arraycopy(all, m * n * n, a, 0, n * n);
            out.setDouble(m, determinant(a, n));
        }
        return one(out);
    }

    private static double determinant(double[] a, int n) {
        double det = 1;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[pivot * n + c])) pivot = r;
            if (a[pivot * n + c] == 0) return 0;
            if (pivot != c) {
                for (int k = 0; k < n; k++) {
                    double t = a[c * n + k];
                    a[c * n + k] = a[pivot * n + k];
                    a[pivot * n + k] = t;
                }
                det = -det;
            }
            double p = a[c * n + c];
            det *= p;
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / p;
                for (int k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
            }
        }
        return det;
    }
}
