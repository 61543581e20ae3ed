package dev.kiln.backend.opencl.cl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Set;

/**
 * One OpenCL device and the capabilities the backend plans with: on-chip (local) memory decides where weights
 * live, and channels or pipes decide how layers could stream to each other on an FPGA.
 */
public record ClDeviceInfo(cl_platform_id platform, cl_device_id device, String platformName, String name,
                           String vendor, String version, int computeUnits, long globalMemBytes,
                           long localMemBytes, long maxAllocBytes, Set<String> extensions, boolean pipes) {
    public ClDeviceInfo {
        extensions = Set.copyOf(extensions);
    }

    /** Intel's FPGA channel extension (the one Intel's FPGA SDK and its emulator report). */
    public boolean intelChannels() {
        return extensions.contains("cl_intel_channels") || extensions.contains("cl_altera_channels");
    }

    /** One line for {@code kiln devices}. */
    public String describe() {
        return name + " (" + vendor + ", " + version.trim() + ", platform " + platformName + "): " + computeUnits
                + " compute units, " + mib(globalMemBytes) + " global, " + kib(localMemBytes) + " local memory, "
                + extensions.size() + " extensions, channels " + (intelChannels() ? "yes" : "no")
                + ", pipes " + (pipes ? "yes" : "no");
    }

    private static String mib(long bytes) { return bytes / (1024 * 1024) + " MiB"; }

    private static String kib(long bytes) { return bytes / 1024 + " KiB"; }
}
