package dev.kiln.backend.opencl.render;

/**
 * MatMul with numpy semantics: 1-D operands promoted to a row (A) or a column (B) and the batch dims broadcast,
 * each batch an M×N×K nest with the K loop unrolled.
 */
final class MatMulRenderer {
    private MatMulRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] a = promote(layer.in(0), true);
        long[] b = promote(layer.in(1), false);
        long m = a[a.length - 2];
        long k = a[a.length - 1];
        long n = b[b.length - 1];
        int batchRank = Math.max(a.length, b.length) - 2;
        long[] batch = new long[batchRank];
        long[] aBatch = java.util.Arrays.copyOf(a, a.length - 2);
        long[] bBatch = java.util.Arrays.copyOf(b, b.length - 2);
        for (int d = 0; d < batchRank; d++) {
            long da = dimFromRight(aBatch, batchRank - d);
            long db = dimFromRight(bBatch, batchRank - d);
            batch[d] = Math.max(da, db) == 1 ? 1 : (da == 1 ? db : da);
        }
        long[] as = scale(Index.broadcastStrides(aBatch, batch), m * k);
        long[] bs = scale(Index.broadcastStrides(bBatch, batch), k * n);
        long[] ys = scale(Index.strides(batch), m * n);
        int unroll = options.unroll(layer.node().name(), k);

        layer.input(0, "a");
        layer.input(1, "b");
        layer.output("y");
        CWriter c = layer.begin();
        String[] bv = Index.vars("t", batchRank);
        for (int d = 0; d < batchRank; d++) c.loop(bv[d], batch[d]);
        c.line("const int a0 = " + Index.dot(bv, as) + ";");
        c.line("const int b0 = " + Index.dot(bv, bs) + ";");
        c.line("const int y0 = " + Index.dot(bv, ys) + ";");
        c.loop("i", m).loop("j", n);
        c.line("float acc = 0.0f;");
        c.loop("p", k, unroll).line("acc += a[a0 + i * " + k + " + p] * b[b0 + p * " + n + " + j];").close();
        c.line("y[y0 + i * " + n + " + j] = acc;");
        c.close(2 + batchRank);
        return layer.finish(c, "single-work-item matmul " + m + "x" + n + "x" + k + (batchRank > 0 ? " batched" : "")
                + ", unroll " + unroll);
    }

    private static long[] promote(long[] shape, boolean left) {
        if (shape.length != 1) return shape;
        return left ? new long[] {1, shape[0]} : new long[] {shape[0], 1};
    }

    private static long dimFromRight(long[] dims, int fromRight) {
        int i = dims.length - fromRight;
        return i >= 0 ? dims[i] : 1;
    }

    private static long[] scale(long[] strides, long by) {
        long[] s = strides.clone();
        for (int i = 0; i < s.length; i++) s[i] *= by;
        return s;
    }
}
