package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Gemm, MatMul, MatMulInteger and QLinearMatMul (Einsum is {@link EinsumKernel}). */
public final class MatMulKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Gemm", GemmKernel::run,
                "MatMul", MatMulKernels::matmul,
                "MatMulInteger", MatMulKernels::matmulInteger,
                "QLinearMatMul", MatMulKernels::qlinearMatmul,
                "Einsum", EinsumKernel::run);
    }

    /**
     * numpy.matmul on flat operands: 1-D operands are promoted to matrices (and the promoted dim dropped from the
     * result), leading batch dims broadcast. Integer types multiply in long so that they wrap as ONNX integers do.
     */
    record Product(long[] shape, int batches, int m, int k, int n, int[] aBatch, int[] bBatch) {
        static Product of(KernelContext ctx, long[] a, long[] b) {
            if (a.length == 0 || b.length == 0) throw ctx.fail("MatMul operands must have rank >= 1");
            long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
            long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
            int m = (int) a2[a2.length - 2];
            int k = (int) a2[a2.length - 1];
            int n = (int) b2[b2.length - 1];
            if (b2[b2.length - 2] != k) throw ctx.fail("inner dims differ: " + Arrays.toString(a) + " x " + Arrays.toString(b));
            long[] batchA = Arrays.copyOf(a2, a2.length - 2);
            long[] batchB = Arrays.copyOf(b2, b2.length - 2);
            long[] batch;
            try {
                batch = Indexing.broadcastShape(batchA, batchB);
            } catch (IllegalArgumentException e) {
                throw ctx.fail("batch dims of " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            long[] shape = Arrays.copyOf(batch, batch.length + (a.length > 1 ? 1 : 0) + (b.length > 1 ? 1 : 0));
            int at = batch.length;
            if (a.length > 1) shape[at++] = m;
            if (b.length > 1) shape[at] = n;
            return new Product(shape, (int) Indexing.product(batch), m, k, n,
                    Indexing.broadcastMap(batchA, batch), Indexing.broadcastMap(batchB, batch));
        }

        double[] multiply(double[] a, double[] b) {
            double[] y = new double[batches * m * n];
            for (int i = 0; i < batches; i++) {
                NnGemm.multiply(m, n, k, a, aBatch[i] * m * k, k, b, bBatch[i] * k * n, n, y, i * m * n, n);
            }
            return y;
        }

        long[] multiply(long[] a, long[] b) {
            long[] y = new long[batches * m * n];
            for (int bi = 0; bi < batches; bi++) {
                int ao = aBatch[bi] * m * k;
                int bo = bBatch[bi] * k * n;
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        long w = a[ao + i * k + p];
                        for (int j = 0; j < n; j++) y[bi * m * n + i * n + j] += w * b[bo + p * n + j];
                    }
                }
            }
            return y;
        }
    }

    private static List<RuntimeValue> matmul(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Product p = Product.of(ctx, a.shape(), b.shape());
        if (a.dtype().isInteger()) return List.of(Tensor.ofLongs(a.dtype(), p.shape(), p.multiply(a.toLongs(), b.toLongs())));
        return List.of(NnTensors.of(a.dtype(), p.shape(), p.multiply(a.toDoubles(), b.toDoubles())));
    }

    /** {@code (A - a_zero_point) x (B - b_zero_point)} in int32; zero points are scalars, per row of A or per column of B. */
    private static List<RuntimeValue> matmulInteger(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Product p = Product.of(ctx, a.shape(), b.shape());
        double[] y = p.multiply(shifted(ctx, a, 2, true), shifted(ctx, b, 3, false));
        return List.of(NnTensors.quantized(DType.I32, p.shape(), y));
    }

    /** An operand minus its zero point (input zi): a scalar, or one per row (A) or per column (B) of the matrices. */
    private static double[] shifted(KernelContext ctx, Tensor t, int zi, boolean perRow) {
        double[] v = t.toDoubles();
        if (!ctx.hasInput(zi)) return v;
        double[] zero = ctx.input(zi).toDoubles();
        long[] s = t.shape();
        int rows = s.length == 1 ? (perRow ? 1 : (int) s[0]) : (int) s[s.length - 2];
        int cols = s.length == 1 ? (perRow ? (int) s[0] : 1) : (int) s[s.length - 1];
        int along = perRow ? rows : cols;
        if (zero.length != 1 && zero.length != along) {
            throw ctx.fail("zero point " + ctx.input(zi).type() + " must be a scalar or have " + along + " values");
        }
        for (int i = 0; i < v.length; i++) {
            int pos = perRow ? (i / cols) % rows : i % cols;
            v[i] -= zero.length == 1 ? zero[0] : zero[pos];
        }
        return v;
    }

    /** {@code y = saturate(round((a - a_zp)(b - b_zp) * a_scale * b_scale / y_scale) + y_zp)}, scales per tensor or per row/column. */
    private static List<RuntimeValue> qlinearMatmul(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(3);
        Product p = Product.of(ctx, a.shape(), b.shape());
        double[] acc = p.multiply(shifted(ctx, a, 2, true), shifted(ctx, b, 5, false));
        double[] aScale = ctx.input(1).toDoubles();
        double[] bScale = ctx.input(4).toDoubles();
        double yScale = NnTensors.scalar(ctx, 6, 1, "y_scale");
        double yZero = NnTensors.scalar(ctx, 7, 0, "y_zero_point");
        DType scaleType = ctx.input(1).dtype();
        for (int i = 0; i < acc.length; i++) {
            int row = (i / p.n()) % p.m();
            int col = i % p.n();
            double as = aScale.length == 1 ? aScale[0] : aScale[row];
            double bs = bScale.length == 1 ? bScale[0] : bScale[col];
            double multiplier = QuantizeKernels.roundTo(scaleType, QuantizeKernels.roundTo(scaleType, as * bs) / yScale);
            acc[i] = Math.rint(acc[i] * multiplier) + yZero;
        }
        return List.of(NnTensors.quantized(ctx.input(7).dtype(), p.shape(), acc));
    }
}
