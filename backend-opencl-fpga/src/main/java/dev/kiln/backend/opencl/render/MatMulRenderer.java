package dev.kiln.backend.opencl.render;

/**
 * MatMul with numpy semantics: 1-D operands promoted to a row (A) or a column (B) and the batch dims broadcast,
 * each batch an M×N×K nest with the K loop unrolled.
 */
final class MatMulRenderer {
    private MatMulRenderer() {}

    /**
     * The sizes a batched M×N×K product bakes in: the broadcast batch dims and the element offsets of each batch in
     * A, B and Y.
     */
    record Batched(long m, long k, long n, long[] batch, long[] as, long[] bs, long[] ys) {
        static Batched of(long[] aShape, long[] bShape) {
            long[] a = promote(aShape, true);
            long[] b = promote(bShape, false);
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
            return new Batched(m, k, n, batch, scale(Index.broadcastStrides(aBatch, batch), m * k),
                    scale(Index.broadcastStrides(bBatch, batch), k * n), scale(Index.strides(batch), m * n));
        }

        /** Opens the batch loops and the i, j loops, defining the batch's offsets a0, b0 and y0. */
        void open(CWriter c) {
            String[] bv = Index.vars("t", batch.length);
            for (int d = 0; d < batch.length; d++) c.loop(bv[d], batch[d]);
            c.line("const int a0 = " + Index.dot(bv, as) + ";");
            c.line("const int b0 = " + Index.dot(bv, bs) + ";");
            c.line("const int y0 = " + Index.dot(bv, ys) + ";");
            c.loop("i", m).loop("j", n);
        }

        /** The levels {@link #open} opened. */
        int depth() { return batch.length + 2; }

        String shape() { return m + "x" + n + "x" + k + (batch.length > 0 ? " batched" : ""); }
    }

    static KernelSource render(Layer layer, RenderOptions options) {
        Batched s = Batched.of(layer.in(0), layer.in(1));
        int unroll = options.unroll(layer.node().name(), s.k());

        layer.input(0, "a");
        layer.input(1, "b");
        layer.output("y");
        CWriter c = layer.begin();
        s.open(c);
        c.line("float acc = 0.0f;");
        c.loop("p", s.k(), unroll).line("acc += a[a0 + i * " + s.k() + " + p] * b[b0 + p * " + s.n() + " + j];").close();
        c.line("y[y0 + i * " + s.n() + " + j] = acc;");
        c.close(s.depth());
        return layer.finish(c, "single-work-item matmul " + s.shape() + ", unroll " + unroll);
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
