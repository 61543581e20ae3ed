package dev.kiln.ir.ops.onnx;

/**
 * The element range one axis of an ONNX Slice selects, after negative indices are counted from the end and
 * starts and ends are clamped the way the spec prescribes (differently for negative steps). Shared by Slice's
 * shape inference and its kernel so the two always agree.
 *
 * @param start first index taken
 * @param step  distance between taken indices (never 0)
 * @param count how many indices are taken
 */
public record SliceBounds(long start, long step, long count) {
    /** The range of {@code start:end:step} over an axis of size {@code dim}; {@code step} must not be 0. */
    public static SliceBounds of(long start, long end, long step, long dim) {
        if (step == 0) throw new IllegalArgumentException("slice step must not be 0");
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        long count;
        if (step > 0) {
            s = clamp(s, 0, dim);
            e = clamp(e, 0, dim);
            count = e > s ? Math.ceilDiv(e - s, step) : 0;
        } else {
            s = clamp(s, 0, dim - 1);
            e = clamp(e, -1, dim - 1);
            count = s > e ? Math.ceilDiv(s - e, step == Long.MIN_VALUE ? Long.MAX_VALUE : -step) : 0;
        }
        return new SliceBounds(s, step, count);
    }

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }
}
