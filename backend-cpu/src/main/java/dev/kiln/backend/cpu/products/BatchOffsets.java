package dev.kiln.backend.cpu.products;

import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/**
 * How batched operands line up under ONNX/NumPy broadcasting: the broadcast shape of their leading (batch) axes,
 * and, for each batch of it, the element offset of each operand's slice. An operand's axes of size 1 (and axes it
 * lacks) repeat its data, so they add nothing to the offset.
 */
final class BatchOffsets {
    private BatchOffsets() {}

    /** The broadcast of the leading axes of {@code shapes} (all but the last {@code trailing} of each), or null when they do not broadcast. */
    static long[] batchShape(int trailing, long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) rank = Math.max(rank, s.length - trailing);
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            int lead = s.length - trailing;
            for (int i = 0; i < lead; i++) {
                int axis = rank - lead + i;
                long d = s[i];
                if (d == out[axis] || d == 1) continue;
                if (out[axis] != 1) return null;
                out[axis] = d;
            }
        }
        return out;
    }

    /**
     * For each batch of {@code batch} (row-major), the element offset of {@code shape}'s slice: its leading axes are
     * right-aligned to {@code batch}'s, and its own strides are those of its row-major layout.
     */
    static long[] offsets(long[] batch, long[] shape, int trailing) {
        int lead = shape.length - trailing;
        long[] strides = new long[lead];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (i < lead) strides[i] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        int count = Math.toIntExact(product(batch));
        long[] out = new long[count];
        int[] index = new int[batch.length];
        for (int t = 0; t < count; t++) {
            long offset = 0;
            for (int i = 0; i < lead; i++) offset += index[batch.length - lead + i] * strides[i];
            out[t] = offset;
            for (int a = batch.length - 1; a >= 0 && ++index[a] == batch[a]; a--) index[a] = 0;
        }
        return out;
    }

    /** Whether {@code t} has {@code shape} (null matches nothing), without copying the tensor's shape. */
    static boolean sameShape(long[] shape, Tensor t) {
        if (shape == null || shape.length != t.rank()) return false;
        for (int i = 0; i < shape.length; i++) if (shape[i] != t.dim(i)) return false;
        return true;
    }

    static long product(long[] dims) {
        long p = 1;
        for (long d : dims) p = Math.multiplyExact(p, d);
        return p;
    }
}
