package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A step's output buffer for one runner (float32 unless made for another element type), kept from run to run while the shape stays the same, so a warm run
 * allocates nothing for it: the shape is compared dim by dim (the overloads spare a step from building a shape
 * array every run). Callers of the plan get copies of graph outputs, or borrow them until the next run.
 */
public final class ReusedOutput {
    /** The arena region the memory plan gave this output, or null: then the buffer is this object's own. */
    private final ByteBuffer planned;
    private final DType dtype;
    private long[] shape;
    private Tensor tensor;
    private MemorySegment segment;

    /** An output in a buffer of its own (see {@link StepMemory#output} for one in the session's arena). */
    public ReusedOutput() { this(null, DType.F32); }

    /** An output of element type {@code dtype} in a buffer of its own. */
    public ReusedOutput(DType dtype) { this(null, dtype); }

    ReusedOutput(ByteBuffer planned, DType dtype) {
        this.planned = planned;
        this.dtype = dtype;
    }

    /** The output tensor for {@code newShape}, reallocated only when the shape changed. */
    public Tensor tensor(long[] newShape) {
        if (!Arrays.equals(shape, newShape)) allocate(newShape.clone());
        return tensor;
    }

    /** The output tensor of shape {@code [d0, d1]}. */
    public Tensor tensor(long d0, long d1) {
        if (shape == null || shape.length != 2 || shape[0] != d0 || shape[1] != d1) allocate(new long[] {d0, d1});
        return tensor;
    }

    /** The output tensor of shape {@code [d0, d1, d2]}. */
    public Tensor tensor(long d0, long d1, long d2) {
        if (shape == null || shape.length != 3 || shape[0] != d0 || shape[1] != d1 || shape[2] != d2) allocate(new long[] {d0, d1, d2});
        return tensor;
    }

    /** The output tensor of shape {@code [d0, d1, d2, d3]}. */
    public Tensor tensor(long d0, long d1, long d2, long d3) {
        if (shape == null || shape.length != 4 || shape[0] != d0 || shape[1] != d1 || shape[2] != d2 || shape[3] != d3) {
            allocate(new long[] {d0, d1, d2, d3});
        }
        return tensor;
    }

    /** The output tensor shaped like {@code like} except that axis {@code axis} has {@code size}. */
    public Tensor tensorLike(Tensor like, int axis, long size) {
        boolean same = shape != null && shape.length == like.rank();
        for (int a = 0; same && a < shape.length; a++) same = shape[a] == (a == axis ? size : like.dim(a));
        if (!same) {
            long[] s = like.shape();
            s[axis] = size;
            allocate(s);
        }
        return tensor;
    }

    /** The output tensor shaped like {@code like}. */
    public Tensor tensorLike(Tensor like) {
        return like.rank() == 0 ? tensor(new long[0]) : tensorLike(like, 0, like.dim(0));
    }

    /** The planned region when the shape fits it (a symbolic dim may outgrow its planning size), else a new buffer. */
    private void allocate(long[] newShape) {
        int bytes = Math.multiplyExact(Tensor.checkedSize(newShape), dtype.storageBytes());
        ByteBuffer storage = planned != null && bytes <= planned.capacity()
                ? planned.slice(0, bytes).order(ByteOrder.LITTLE_ENDIAN)
                : ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        shape = newShape;
        tensor = Tensor.view(dtype, shape, storage);
        segment = MemorySegment.ofBuffer(storage);
    }

    /** The segment of the tensor last returned. */
    public MemorySegment segment() { return segment; }
}
