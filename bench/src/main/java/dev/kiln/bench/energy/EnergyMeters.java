package dev.kiln.bench.energy;

import java.nio.file.Path;

/** Finds the energy sensor for a Kiln device, or says in one line why the harness must use the estimate. */
public final class EnergyMeters {
    /** Where Linux exposes RAPL. */
    public static final Path POWERCAP = Path.of("/sys/class/powercap");

    private EnergyMeters() {}

    /**
     * {@code ref} and {@code cpu}: RAPL package energy; {@code cuda}: NVML for GPU 0; {@code opencl}: RAPL when
     * {@code description} names a CPU device (PoCL), otherwise none yet (board sensors come with the FPGA backend).
     */
    public static MeterLookup forDevice(String device, String description) {
        return switch (device) {
            case "ref", "cpu" -> RaplMeter.open(POWERCAP);
            case "cuda" -> NvmlMeter.open(NvmlMeter.LIBRARY, 0);
            case "opencl" -> DeviceEnergyProfiles.isCpuDescription(description)
                    ? RaplMeter.open(POWERCAP)
                    : MeterLookup.missing("the OpenCL backend exposes no board sensor yet: using the estimate");
            default -> MeterLookup.missing("no energy sensor known for device '" + device + "': using the estimate");
        };
    }

    /** {@link #forDevice(String, String)} without a device description. */
    public static MeterLookup forDevice(String device) { return forDevice(device, ""); }
}
