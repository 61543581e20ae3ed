package dev.kiln.interpreter;

import dev.kiln.ir.ops.Broadcast;

/** Row-major index arithmetic shared by the reference kernels. */
public final class Indexing {
    private Indexing() {}

    /** Row-major strides (in elements) of a shape. */
    public static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}, written into {@code out}. */
    public static void unravel(long flat, long[] shape, long[] out) {
        for (int i = shape.length - 1; i >= 0; i--) {
            long d = shape[i];
            out[i] = d == 0 ? 0 : flat % d;
            flat = d == 0 ? 0 : flat / d;
        }
    }

    /** Normalizes a possibly negative axis against {@code rank}; throws when out of range. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    /**
     * For each flat index of the broadcast {@code outShape}, the flat index into a tensor of {@code inShape}
     * broadcast to it.
     */
    public static int[] broadcastMap(long[] inShape, long[] outShape) {
        int n = (int) product(outShape);
        int[] map = new int[n];
        int rank = outShape.length;
        long[] inStrides = strides(inShape);
        long[] effective = new long[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - inShape.length);
            effective[i] = j < 0 || inShape[j] == 1 ? 0 : inStrides[j];
        }
        long[] idx = new long[rank];
        for (int flat = 0; flat < n; flat++) {
            long off = 0;
            for (int i = 0; i < rank; i++) off += idx[i] * effective[i];
            map[flat] = (int) off;
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) break;
                idx[i] = 0;
            }
        }
        return map;
    }

    /** The broadcast shape of several concrete shapes. */
    public static long[] broadcastShape(long[]... shapes) {
        long[] out = new long[0];
        for (long[] s : shapes) out = Broadcast.shapes(out, s);
        return out;
    }

    public static long product(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }
}
