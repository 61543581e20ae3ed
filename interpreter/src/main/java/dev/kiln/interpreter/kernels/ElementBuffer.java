package dev.kiln.interpreter.kernels;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A writable flat array of elements of any type (numbers as their storage bytes, strings as strings), for the ops
 * that only move elements around: it copies an element as it is stored, so no type needs its own code path and
 * no value is converted on the way.
 */
final class ElementBuffer {
    private final DType dtype;
    private final int width;
    private final byte[] bytes;
    private final String[] strings;

    private ElementBuffer(DType dtype, byte[] bytes, String[] strings) {
        this.dtype = dtype;
        this.width = dtype == DType.STRING ? 0 : Math.max(1, dtype.bits() / 8);
        this.bytes = bytes;
        this.strings = strings;
    }

    /** A copy of the tensor's elements in row-major order. */
    static ElementBuffer copyOf(Tensor t) {
        if (t.dtype() == DType.STRING) return new ElementBuffer(t.dtype(), null, t.toStrings());
        ByteBuffer data = t.data();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return new ElementBuffer(t.dtype(), b, null);
    }

    /** {@code n} zero elements (empty strings). */
    static ElementBuffer allocate(DType dtype, int n) {
        if (dtype == DType.STRING) {
            String[] s = new String[n];
            java.util.Arrays.fill(s, "");
            return new ElementBuffer(dtype, null, s);
        }
        ElementBuffer probe = new ElementBuffer(dtype, new byte[0], null);
        return new ElementBuffer(dtype, new byte[Math.multiplyExact(n, probe.width)], null);
    }

    /** Copies element {@code from} of {@code src} (same dtype) into element {@code to} of this buffer. */
    void copy(int to, ElementBuffer src, int from) {
        if (strings != null) strings[to] = src.strings[from];
        else System.arraycopy(src.bytes, from * width, bytes, to * width, width);
    }

    /** Copies {@code count} consecutive elements. */
    void copyRange(int to, ElementBuffer src, int from, int count) {
        if (strings != null) System.arraycopy(src.strings, from, strings, to, count);
        else System.arraycopy(src.bytes, from * width, bytes, to * width, count * width);
    }

    Tensor toTensor(long[] shape) {
        if (strings != null) return Tensor.ofStrings(shape, strings);
        return Tensor.fromStorage(dtype, shape, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * A tensor of {@code shape} whose element {@code i} is element {@code map[i]} of {@code src}, or the single
     * element of {@code fill} where {@code map[i]} is negative.
     */
    static Tensor gather(Tensor src, long[] shape, int[] map, Tensor fill) {
        ElementBuffer in = copyOf(src);
        ElementBuffer fillValue = fill == null ? null : copyOf(fill);
        ElementBuffer out = allocate(src.dtype(), map.length);
        for (int i = 0; i < map.length; i++) {
            if (map[i] >= 0) out.copy(i, in, map[i]);
            else out.copy(i, fillValue, 0);
        }
        return out.toTensor(shape);
    }

    static Tensor gather(Tensor src, long[] shape, int[] map) { return gather(src, shape, map, null); }
}
