package dev.kiln.backend.opencl.render;

/** Row-major offsets as C expressions with the sizes written in, and the strides behind them. */
final class Index {
    private Index() {}

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /**
     * The strides with which an input of {@code shape} is read at each index of {@code out} under numpy
     * broadcasting: right-aligned, and 0 along dims the input has as 1 (or lacks).
     */
    static long[] broadcastStrides(long[] shape, long[] out) {
        long[] own = strides(shape);
        long[] s = new long[out.length];
        for (int d = 0; d < shape.length; d++) {
            int o = out.length - shape.length + d;
            s[o] = shape[d] == 1 && out[o] != 1 ? 0 : own[d];
        }
        return s;
    }

    /** {@code vars[0]*strides[0] + ...}, leaving out zero strides; {@code 0} when nothing is left. */
    static String dot(String[] vars, long[] strides) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < vars.length; d++) {
            if (strides[d] == 0) continue;
            if (!b.isEmpty()) b.append(" + ");
            b.append(strides[d] == 1 ? vars[d] : vars[d] + " * " + strides[d]);
        }
        return b.isEmpty() ? "0" : b.toString();
    }

    /**
     * The input coordinate a window tap reads, {@code out * stride - pad + tap * dilation}, with unit factors and
     * zero pads left out so the common 3×3, stride-1 case reads {@code o0 - 1 + k0}.
     */
    static String tap(String out, long stride, long pad, String tap, long dilation) {
        String s = (stride == 1 ? out : out + " * " + stride) + (pad == 0 ? "" : pad > 0 ? " - " + pad : " + " + -pad);
        return s + " + " + (dilation == 1 ? tap : tap + " * " + dilation);
    }

    /** Loop variable names {@code prefix0 .. prefix(n-1)}. */
    static String[] vars(String prefix, int n) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) v[i] = prefix + i;
        return v;
    }

    static long product(long[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }

    /** A float as a C literal that reads back to the same float. */
    static String literal(float v) {
        if (Float.isNaN(v)) return "NAN";
        if (Float.isInfinite(v)) return v > 0 ? "INFINITY" : "(-INFINITY)";
        String s = Float.toString(v);
        return (v < 0 ? "(" + s + "f)" : s + "f");
    }
}
