package dev.kiln.backend.opencl.cl;

import dev.kiln.runtime.KilnException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;

/**
 * An OpenCL context on one device: programs are built once here and shared by every session; each session gets
 * its own {@link ClQueue} for its buffers and launches.
 */
public final class ClContext implements AutoCloseable {
    private final ClDeviceInfo device;
    private final cl_context context;

    public ClContext(ClDeviceInfo device) {
        this.device = device;
        this.context = CL.clCreateContext(null, 1, new cl_device_id[] {device.device()}, null, null, null);
    }

    /** A new in-order queue: in-order execution makes each kernel's output visible to the next without events. */
    @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties is OpenCL 2.0; FPGA SDKs offer 1.x only
    public ClQueue newQueue() {
        return new ClQueue(context, CL.clCreateCommandQueue(context, device.device(), 0, null));
    }

    public ClDeviceInfo device() { return device; }

    /** Builds {@code source} as OpenCL C 1.2; a build failure throws with the compiler's log, naming {@code what}. */
    public cl_program build(String source, String what) { return build(source, what, "-cl-std=CL1.2"); }

    /** Builds {@code source} with {@code options}; a build failure throws with the compiler's log, naming {@code what}. */
    public cl_program build(String source, String what, String options) {
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(program, 0, null, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new KilnException("OpenCL build of " + what + " failed on " + device.name() + ": " + log.strip());
        }
        return program;
    }

    /**
     * Loads a program built offline for this device ({@code clCreateProgramWithBinary}) and builds it, as the
     * OpenCL spec requires before kernels can be created from it (for an FPGA image this only links, it does not
     * synthesize), with the {@code options} its source was built with. A binary the device rejects throws with the OpenCL error and any build log, naming {@code what}.
     */
    public cl_program load(byte[] binary, String what, String options) {
        int[] status = new int[1];
        cl_program program;
        try {
            program = CL.clCreateProgramWithBinary(context, 1, new cl_device_id[] {device.device()}, new long[] {binary.length},
                    new byte[][] {binary}, status, null);
        } catch (CLException e) {
            throw new KilnException(what + " is not a program " + device.name() + " can load: " + e.getMessage()
                    + (status[0] != CL.CL_SUCCESS ? " (binary status " + CL.stringFor_errorCode(status[0]) + ")" : ""));
        }
        try {
            CL.clBuildProgram(program, 0, null, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new KilnException(what + " does not build on " + device.name() + ": " + e.getMessage() + (log.isBlank() ? "" : ": " + log.strip()));
        }
        return program;
    }

    /** The device binary of a built {@code program} ({@code CL_PROGRAM_BINARIES}), which {@link #load} takes back. */
    public byte[] binary(cl_program program) {
        long[] size = new long[1];
        CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        byte[] binary = new byte[Math.toIntExact(size[0])];
        CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
    }

    public cl_kernel kernel(cl_program program, String name) { return CL.clCreateKernel(program, name, null); }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    public static void release(cl_program program) { CL.clReleaseProgram(program); }

    public static void release(cl_kernel kernel) { CL.clReleaseKernel(kernel); }

    @Override
    public void close() {
        CL.clReleaseContext(context);
    }
}
