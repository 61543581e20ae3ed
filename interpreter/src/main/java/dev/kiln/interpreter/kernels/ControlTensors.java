package dev.kiln.interpreter.kernels;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Element-exact slicing, stacking and concatenation for tensors of any element type (bytes are copied, strings
 * moved), used by Loop, Scan and the sequence ops.
 */
final class ControlTensors {
    private ControlTensors() {}

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
    static Tensor take(Tensor t, int axis, long index) {
        return slice(t, axis, index, 1, true);
    }

    /** Elements {@code [start, start + count)} along {@code axis}; the axis is kept unless {@code dropAxis}. */
    static Tensor slice(Tensor t, int axis, long start, long count, boolean dropAxis) {
        long[] shape = t.shape();
        int outer = (int) product(shape, 0, axis), n = (int) shape[axis], inner = (int) product(shape, axis + 1, shape.length);
        long[] outShape;
        if (dropAxis) {
            outShape = new long[shape.length - 1];
            System.arraycopy(shape, 0, outShape, 0, axis);
            System.arraycopy(shape, axis + 1, outShape, axis, shape.length - axis - 1);
        } else {
            outShape = shape.clone();
            outShape[axis] = count;
        }
        int block = (int) count * inner;
        if (t.dtype() == DType.STRING) {
            String[] in = t.toStrings(), out = new String[outer * block];
            for (int o = 0; o < outer; o++) System.arraycopy(in, (int) ((o * (long) n + start) * inner), out, o * block, block);
            return Tensor.ofStrings(outShape, out);
        }
        int e = elementBytes(t.dtype());
        byte[] in = bytes(t), out = new byte[outer * block * e];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(in, (int) ((o * (long) n + start) * inner * e), out, o * block * e, block * e);
        }
        return Tensor.fromStorage(t.dtype(), outShape, ByteBuffer.wrap(out));
    }

    /** Stacks tensors of one shape and type along a new axis {@code axis}. */
    static Tensor stack(List<Tensor> parts, int axis, DType dtype, long[] partShape) {
        long[] outShape = new long[partShape.length + 1];
        System.arraycopy(partShape, 0, outShape, 0, axis);
        outShape[axis] = parts.size();
        System.arraycopy(partShape, axis, outShape, axis + 1, partShape.length - axis);
        for (Tensor p : parts) {
            if (p.dtype() != dtype || !Arrays.equals(p.shape(), partShape)) {
                throw new IllegalArgumentException("cannot stack " + p + " with " + dtype + Arrays.toString(partShape));
            }
        }
        long[] withUnitAxis = outShape.clone();
        withUnitAxis[axis] = 1;
        return concat(parts.stream().map(p -> p.reshape(withUnitAxis)).toList(), axis, dtype, withUnitAxis);
    }

    /**
     * Concatenates along {@code axis}; the others must agree. {@code emptyShape} is the result's shape when
     * {@code parts} is empty (its axis dim is replaced by 0).
     */
    static Tensor concat(List<Tensor> parts, int axis, DType dtype, long[] emptyShape) {
        if (parts.isEmpty()) {
            long[] s = emptyShape.clone();
            s[axis] = 0;
            return Tensor.zeros(dtype, s);
        }
        long[] first = parts.getFirst().shape();
        long total = 0;
        for (Tensor p : parts) {
            long[] s = p.shape();
            boolean same = p.dtype() == dtype && s.length == first.length;
            for (int i = 0; same && i < s.length; i++) same = i == axis || s[i] == first[i];
            if (!same) throw new IllegalArgumentException("cannot concatenate " + p + " with " + parts.getFirst() + " on axis " + axis);
            total += s[axis];
        }
        long[] outShape = first.clone();
        outShape[axis] = total;
        int outer = (int) product(first, 0, axis), inner = (int) product(first, axis + 1, first.length);
        boolean strings = dtype == DType.STRING;
        int e = strings ? 1 : elementBytes(dtype);
        Object out = strings ? new String[Tensor.checkedSize(outShape)] : new byte[Tensor.checkedSize(outShape) * e];
        List<Object> data = parts.stream().map(p -> strings ? (Object) p.toStrings() : bytes(p)).toList();
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < parts.size(); i++) {
                int block = (int) parts.get(i).dim(axis) * inner * e;
                System.arraycopy(data.get(i), o * block, out, pos, block);
                pos += block;
            }
        }
        return strings ? Tensor.ofStrings(outShape, (String[]) out) : Tensor.fromStorage(dtype, outShape, ByteBuffer.wrap((byte[]) out));
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer data = t.data();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    private static int elementBytes(DType t) {
        return t.kind() == DType.Kind.COMPLEX ? t.bits() / 8 : t.storageBytes();
    }

    static long product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return n;
    }
}
