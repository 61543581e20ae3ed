package dev.kiln.bench.energy;

import dev.kiln.runtime.KilnException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An NVIDIA GPU's energy counter through NVML, the driver's management library, called directly with the FFM API:
 * {@code nvmlDeviceGetTotalEnergyConsumption} gives millijoules since the driver was loaded (Volta and later).
 * nvidia-smi is no substitute: its {@code --query-gpu} has no energy field (checked on an H100 with driver
 * 580.159.04: "Field "total_energy_consumption" is not a valid field to query"). NVML stays initialized for the
 * process's life; the driver counts its users, so other NVML clients are unaffected.
 */
public final class NvmlMeter implements EnergyMeter {
    /** The NVML library the driver installs. */
    public static final String LIBRARY = "libnvidia-ml.so.1";
    private static final int NVML_SUCCESS = 0;
    private static final int NVML_ERROR_NOT_SUPPORTED = 3;

    private final MethodHandle totalEnergy;
    private final MemorySegment device;
    private final int index;

    private NvmlMeter(MethodHandle totalEnergy, MemorySegment device, int index) {
        this.totalEnergy = totalEnergy;
        this.device = device;
        this.index = index;
    }

    /** The meter for GPU {@code index} through NVML library {@code library} (normally {@link #LIBRARY}), or why there is none. */
    public static MeterLookup open(String library, int index) {
        SymbolLookup nvml;
        try {
            nvml = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            return MeterLookup.missing("no NVIDIA driver (" + library + " not found): using the estimate");
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle init = linker.downcallHandle(nvml.findOrThrow("nvmlInit_v2"), FunctionDescriptor.of(JAVA_INT));
        MethodHandle byIndex = linker.downcallHandle(nvml.findOrThrow("nvmlDeviceGetHandleByIndex_v2"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        MethodHandle energy = linker.downcallHandle(nvml.findOrThrow("nvmlDeviceGetTotalEnergyConsumption"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle errorString = linker.downcallHandle(nvml.findOrThrow("nvmlErrorString"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) init.invokeExact();
            if (rc != NVML_SUCCESS) return MeterLookup.missing("NVML initialization failed (" + message(errorString, rc) + "): using the estimate");
            MemorySegment handle = arena.allocate(ADDRESS);
            rc = (int) byIndex.invokeExact(index, handle);
            if (rc != NVML_SUCCESS) return MeterLookup.missing("no NVIDIA GPU " + index + " (" + message(errorString, rc) + "): using the estimate");
            NvmlMeter meter = new NvmlMeter(energy, handle.get(ADDRESS, 0), index);
            MemorySegment millijoules = arena.allocate(JAVA_LONG);
            rc = (int) energy.invokeExact(meter.device, millijoules);
            if (rc == NVML_ERROR_NOT_SUPPORTED) return MeterLookup.missing("GPU " + index + " reports no total energy (before Volta): using the estimate");
            if (rc != NVML_SUCCESS) return MeterLookup.missing("NVML energy query failed (" + message(errorString, rc) + "): using the estimate");
            return MeterLookup.found(meter);
        } catch (Throwable t) {
            throw new KilnException("nvml: calling " + library + " failed: " + t, t);
        }
    }

    @Override
    public String source() { return "nvml"; }

    /** Joules since the driver was loaded (the counter is 64-bit millijoules: it does not wrap in practice). */
    @Override
    public double joules() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment millijoules = arena.allocate(JAVA_LONG);
            int rc = (int) totalEnergy.invokeExact(device, millijoules);
            if (rc != NVML_SUCCESS) throw new KilnException("nvml: reading GPU " + index + "'s energy failed with NVML error " + rc);
            return millijoules.get(JAVA_LONG, 0) / 1000.0;
        } catch (KilnException e) {
            throw e;
        } catch (Throwable t) {
            throw new KilnException("nvml: reading GPU " + index + "'s energy failed: " + t, t);
        }
    }

    private static String message(MethodHandle errorString, int rc) throws Throwable {
        MemorySegment text = (MemorySegment) errorString.invokeExact(rc);
        return text.reinterpret(256).getString(0) + ", code " + rc;
    }
}
