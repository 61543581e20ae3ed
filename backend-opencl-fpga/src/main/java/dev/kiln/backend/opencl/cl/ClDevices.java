package dev.kiln.backend.opencl.cl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Finds the OpenCL platforms and devices of this machine once. Without an OpenCL loader or ICD the list is empty
 * and {@link #problem()} says why, so the backend reports itself unavailable instead of failing at class load.
 */
public final class ClDevices {
    /** CL_DEVICE_MAX_PIPE_ARGS (OpenCL 2.0): non-zero when the device supports pipes. */
    private static final int CL_DEVICE_MAX_PIPE_ARGS = 0x1055;

    private static final ClDevices INSTANCE = discover();

    private final List<ClDeviceInfo> devices;
    private final String problem;

    private ClDevices(List<ClDeviceInfo> devices, String problem) {
        this.devices = List.copyOf(devices);
        this.problem = problem;
    }

    public static ClDevices get() { return INSTANCE; }

    /** Every device of every platform, in platform order. */
    public List<ClDeviceInfo> devices() { return devices; }

    /** Why there are no devices (null when there are some). */
    public String problem() { return problem; }

    private static ClDevices discover() {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            CL.clGetPlatformIDs(0, null, count);
            if (count[0] == 0) return new ClDevices(List.of(), "no OpenCL platform installed (on Debian: apt-get install pocl-opencl-icd)");
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<ClDeviceInfo> found = new ArrayList<>();
            for (cl_platform_id platform : platforms) found.addAll(devicesOf(platform));
            return new ClDevices(found, found.isEmpty() ? "the OpenCL platforms have no devices" : null);
        } catch (CLException e) {
            // clGetPlatformIDs answers CL_PLATFORM_NOT_FOUND_KHR when the ICD loader finds no platform.
            return new ClDevices(List.of(), "no OpenCL platform installed (" + e.getMessage() + ")");
        } catch (LinkageError e) {
            return new ClDevices(List.of(), "the OpenCL library cannot be loaded (" + e.getMessage() + ")");
        }
    }

    private static List<ClDeviceInfo> devicesOf(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            return List.of(); // CL_DEVICE_NOT_FOUND: a platform without devices
        }
        cl_device_id[] ids = new cl_device_id[count[0]];
        CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        String platformName = platformString(platform, CL.CL_PLATFORM_NAME);
        List<ClDeviceInfo> infos = new ArrayList<>();
        for (cl_device_id id : ids) {
            String version = string(id, CL.CL_DEVICE_VERSION);
            infos.add(new ClDeviceInfo(platform, id, platformName, string(id, CL.CL_DEVICE_NAME),
                    string(id, CL.CL_DEVICE_VENDOR), version, (int) number(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint),
                    number(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong), number(id, CL.CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong),
                    number(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong),
                    new HashSet<>(Arrays.asList(string(id, CL.CL_DEVICE_EXTENSIONS).trim().split("\\s+"))),
                    pipes(id, version)));
        }
        return infos;
    }

    /** Pipes need OpenCL 2.0 or later and a device that takes pipe arguments (3.0 makes them optional). */
    private static boolean pipes(cl_device_id id, String version) {
        String[] words = version.split("\\s+");
        if (words.length < 2 || words[1].compareTo("2.0") < 0) return false;
        try {
            return number(id, CL_DEVICE_MAX_PIPE_ARGS, Sizeof.cl_uint) > 0;
        } catch (CLException e) {
            return false;
        }
    }

    private static String string(cl_device_id id, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(id, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(id, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetPlatformInfo(id, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static long number(cl_device_id id, int param, int bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        CL.clGetDeviceInfo(id, param, bytes, Pointer.to(buffer), null);
        return bytes == Sizeof.cl_uint ? Integer.toUnsignedLong(buffer.getInt(0)) : buffer.getLong(0);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
