package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A step's float32 output buffer for one runner, kept from run to run while the shape stays the same, so a warm run
 * allocates nothing for it. The plan hands callers copies of graph outputs, so reuse never shows through.
 */
public final class ReusedOutput {
    private long[] shape;
    private Tensor tensor;
    private MemorySegment segment;

    /** The output tensor for {@code newShape}, reallocated only when the shape changed. */
    public Tensor tensor(long[] newShape) {
        if (!Arrays.equals(shape, newShape)) {
            ByteBuffer storage = ByteBuffer.allocateDirect(Math.multiplyExact(Tensor.checkedSize(newShape), Float.BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            shape = newShape.clone();
            tensor = Tensor.view(DType.F32, shape, storage);
            segment = MemorySegment.ofBuffer(storage);
        }
        return tensor;
    }

    /** The segment of the tensor last returned by {@link #tensor}. */
    public MemorySegment segment() { return segment; }
}
