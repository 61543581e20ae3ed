package dev.kiln.backend.opencl.cl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One session's command queue and the buffers it allocated, released together when the session closes. */
public final class ClQueue implements AutoCloseable {
    private final cl_context context;
    private final cl_command_queue queue;
    private final List<cl_mem> allocated = new ArrayList<>();

    ClQueue(cl_context context, cl_command_queue queue) {
        this.context = context;
        this.queue = queue;
    }

    /** A device buffer of {@code bytes} (at least one float: OpenCL has no empty buffers, and empty tensors exist). */
    public cl_mem allocate(long bytes) {
        cl_mem buffer = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, Math.max(bytes, Float.BYTES), null, null);
        allocated.add(buffer);
        return buffer;
    }

    /**
     * An OpenCL 2.0 pipe of {@code packets} floats (device-side only: the host never reads or writes it), released
     * with this queue's buffers.
     */
    public cl_mem allocatePipe(int packets) {
        cl_mem pipe = CL.clCreatePipe(context, CL.CL_MEM_READ_WRITE, Float.BYTES, packets, null, null);
        allocated.add(pipe);
        return pipe;
    }

    /** Waits until every command enqueued here has finished. */
    public void finish() { CL.clFinish(queue); }

    /**
     * Copies {@code data} (position to limit) to the start of {@code buffer}, blocking. Staged through a direct
     * buffer: tensors hand out read-only heap views, which native code cannot address.
     */
    public void write(cl_mem buffer, ByteBuffer data) {
        if (!data.hasRemaining()) return;
        ByteBuffer staged = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        staged.put(data.duplicate()).flip();
        CL.clEnqueueWriteBuffer(queue, buffer, true, 0, staged.remaining(), Pointer.to(staged), 0, null, null);
    }

    /** The first {@code bytes} of {@code buffer}, blocking, in a new little-endian buffer. */
    public ByteBuffer read(cl_mem buffer, long bytes) {
        ByteBuffer into = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes > 0) CL.clEnqueueReadBuffer(queue, buffer, true, 0, bytes, Pointer.to(into), 0, null, null);
        return into;
    }

    /** Sets the buffer arguments of {@code kernel} in order and enqueues it as a single work-item (global size 1). */
    public void launch(cl_kernel kernel, cl_mem[] args) {
        for (int i = 0; i < args.length; i++) CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(args[i]));
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {1}, new long[] {1}, 0, null, null);
    }

    /** Frees this queue's buffers (a new input shape re-plans the session). */
    public void releaseBuffers() {
        for (cl_mem m : allocated) CL.clReleaseMemObject(m);
        allocated.clear();
    }

    @Override
    public void close() {
        releaseBuffers();
        CL.clReleaseCommandQueue(queue);
    }
}
