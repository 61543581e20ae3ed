package dev.kiln.ir.ops.onnx;

/**
 * Size rules of the ONNX spec that both shape inference and the kernels apply, kept in one place so that the
 * inferred shapes and the computed tensors always agree.
 */
public final class TensorOpRules {
    private TensorOpRules() {}

    /** Range's element count: {@code max(ceil((limit - start) / delta), 0)}; delta must not be 0. */
    public static long rangeCount(double start, double limit, double delta) {
        if (delta == 0) throw new IllegalArgumentException("Range delta must not be 0");
        double n = Math.ceil((limit - start) / delta);
        if (Double.isNaN(n)) throw new IllegalArgumentException("Range bounds are not numbers");
        return Math.max((long) n, 0);
    }

    /** Range's element count for integer bounds, computed exactly. */
    public static long rangeCount(long start, long limit, long delta) {
        if (delta == 0) throw new IllegalArgumentException("Range delta must not be 0");
        return Math.max(Math.ceilDiv(Math.subtractExact(limit, start), delta), 0);
    }

    /**
     * Equal parts of a dim split {@code n} ways; when {@code allowUneven} (Split from opset 18) the last part takes
     * what is left, else the dim must divide evenly (returns null when it does not).
     */
    public static long[] equalSplit(long dim, int n, boolean allowUneven) {
        if (n <= 0) throw new IllegalArgumentException("cannot split into " + n + " parts");
        if (dim % n != 0 && !allowUneven) return null;
        long chunk = Math.ceilDiv(dim, n);
        long[] sizes = new long[n];
        long left = dim;
        for (int i = 0; i < n; i++) {
            sizes[i] = Math.min(chunk, left);
            left -= sizes[i];
        }
        return sizes;
    }

    /** Shape's {@code [start, end)} window over a rank, clamped as the spec says: {start, count}. */
    public static int[] shapeWindow(long start, Long end, int rank) {
        long s = start < 0 ? start + rank : start;
        long e = end == null ? rank : end < 0 ? end + rank : end;
        s = Math.max(0, Math.min(rank, s));
        e = Math.max(0, Math.min(rank, e));
        return new int[] {(int) s, (int) Math.max(0, e - s)};
    }
}
