package dev.kiln.bench.energy;

import dev.kiln.backend.opencl.fpga.FpgaPart;
import dev.kiln.backend.opencl.fpga.FpgaParts;

import java.util.Locale;

/**
 * The energy profiles of the devices Kiln runs on, built from Horowitz's 45 nm figures ("Computing's energy
 * problem (and what we can do about it)", ISSCC 2014, 45 nm at 0.9 V) scaled to each device's process node by
 * {@link ProcessScaling}. docs/energy-model.md tabulates every figure with its source; where a figure is our
 * judgement its comment says so.
 */
public final class DeviceEnergyProfiles {
    /** Horowitz 2014: 32-bit float add 0.9 pJ, multiply 3.7 pJ; one FLOP is priced at their mean. */
    static final double FP32_OP_PJ_45NM = (0.9 + 3.7) / 2;
    /** Horowitz 2014: 8-bit integer add 0.03 pJ, multiply 0.2 pJ; one INT8 op is priced at their mean. */
    static final double INT8_OP_PJ_45NM = (0.03 + 0.2) / 2;
    /** Horowitz 2014: 64-bit read of a 1 MB SRAM (cache) 100 pJ, per byte: a large on-chip cache (L2/L3, GPU L2). */
    static final double LARGE_SRAM_BYTE_PJ_45NM = 100.0 / 8;
    /** Horowitz 2014: 32-bit read of an 8 KB SRAM 5 pJ, per byte: small distributed SRAM (FPGA block RAM). */
    static final double SMALL_SRAM_BYTE_PJ_45NM = 5.0 / 4;
    /**
     * Horowitz 2014: 32-bit DRAM read 640 pJ, per byte. Not scaled with the logic node: DRAM access energy is spent
     * in the DRAM die and the off-chip interface, which logic scaling does not touch (judgement; DDR4/DDR5 are
     * somewhat lower, so this errs high).
     */
    static final double DDR_BYTE_PJ = 640.0 / 4;
    /**
     * HBM2 about 3.9 pJ/bit (O'Connor et al., "Fine-Grained DRAM: Energy-Efficient DRAM for Extreme Bandwidth
     * Systems", MICRO 2017), per byte; used for HBM3 too (judgement: HBM3 is no worse per bit).
     */
    static final double HBM_BYTE_PJ = 3.9 * 8;
    /**
     * Horowitz 2014's instruction energy breakdown: about 70 pJ per instruction of a 45 nm core (instruction cache,
     * register file, control), against under 1 pJ for the arithmetic itself. Spread over the operations one SIMD
     * or SIMT instruction performs.
     */
    static final double INSTRUCTION_OVERHEAD_PJ_45NM = 70;
    /** Idle static power per logical CPU: server parts idle near 1.5 W per core (judgement). */
    static final double CPU_STATIC_WATTS_PER_LOGICAL_CPU = 1.5;
    /** H100: TSMC 4N (NVIDIA H100 Tensor Core GPU Architecture whitepaper, 2022). */
    static final int H100_PROCESS_NM = 4;
    /** H100 SXM5: 50 MB L2 cache (same whitepaper). */
    static final long H100_L2_BYTES = 50L * 1000 * 1000;
    /** A warp instruction: 32 lanes of FMA = 64 FLOPs on the CUDA cores (tensor-core MMAs amortize far more; judgement to use the CUDA-core path). */
    static final int H100_FLOPS_PER_INSTRUCTION = 64;
    /** Measured: nvidia-smi power.draw of an idle H100 80GB HBM3 (driver 580.159.04), 73.8 W. */
    static final double H100_IDLE_WATTS = 73.8;
    /**
     * FPGA versus ASIC dynamic power is about 14× for LUT logic and smaller with hard blocks (Kuon and Rose,
     * "Measuring the gap between FPGAs and ASICs", IEEE TCAD 26(2), 2007); with the MACs in DSP blocks we take 7×,
     * so routing and configuration overhead is 6× the arithmetic's energy (judgement).
     */
    static final double FPGA_OVERHEAD_OVER_ARITHMETIC = 6;
    /**
     * The part {@code opencl} on an FPGA stands for when no part is named: the ZU9EG (ZCU102), a 16 nm UltraScale+
     * part, the class the generic profile assumed before parts were described.
     */
    static final String DEFAULT_FPGA_PART = "zu9eg";

    private DeviceEnergyProfiles() {}

    /**
     * The profile for a Kiln device name: {@code ref} and {@code cpu} run on the host CPU; {@code cuda} is an
     * H100-class GPU; {@code opencl} is the generic FPGA unless {@code description} (the backend's description of
     * its device) names a CPU device, as PoCL's do, in which case the host CPU.
     */
    public static DeviceEnergyProfile forDevice(String kilnDeviceName, String description) {
        return switch (kilnDeviceName) {
            case "ref", "cpu" -> hostCpu();
            case "cuda" -> h100();
            case "opencl" -> isCpuDescription(description) ? hostCpu() : fpga();
            default -> throw new IllegalArgumentException("no energy profile for device '" + kilnDeviceName + "' (known: ref, cpu, cuda, opencl)");
        };
    }

    /** {@link #forDevice(String, String)} without a device description ({@code opencl} is then the FPGA). */
    public static DeviceEnergyProfile forDevice(String kilnDeviceName) { return forDevice(kilnDeviceName, ""); }

    /** This machine's CPU, from /proc/cpuinfo and sysfs. */
    public static DeviceEnergyProfile hostCpu() { return cpu(HostCpu.read()); }

    static DeviceEnergyProfile cpu(HostCpu cpu) {
        int nm = cpu.processNm();
        double f = ProcessScaling.energyFactor(nm);
        return new DeviceEnergyProfile(cpu.modelName() + " (" + nm + " nm)", nm, FP32_OP_PJ_45NM * f, INT8_OP_PJ_45NM * f,
                LARGE_SRAM_BYTE_PJ_45NM * f, DDR_BYTE_PJ, INSTRUCTION_OVERHEAD_PJ_45NM * f / cpu.flopsPerInstruction(),
                CPU_STATIC_WATTS_PER_LOGICAL_CPU * cpu.logicalCpus(), cpu.lastLevelCacheBytes());
    }

    public static DeviceEnergyProfile h100() {
        double f = ProcessScaling.energyFactor(H100_PROCESS_NM);
        return new DeviceEnergyProfile("NVIDIA H100 (TSMC 4N)", H100_PROCESS_NM, FP32_OP_PJ_45NM * f, INT8_OP_PJ_45NM * f,
                LARGE_SRAM_BYTE_PJ_45NM * f, HBM_BYTE_PJ, INSTRUCTION_OVERHEAD_PJ_45NM * f / H100_FLOPS_PER_INSTRUCTION,
                H100_IDLE_WATTS, H100_L2_BYTES);
    }

    /** The FPGA profile of the default part ({@link #DEFAULT_FPGA_PART}). */
    public static DeviceEnergyProfile fpga() { return fpga(FpgaParts.byId(DEFAULT_FPGA_PART)); }

    /**
     * The FPGA profile of a described part: its process node scales the per-operation energies, and its board idle
     * power, on-chip block memory and external-memory energy per byte come from the part (FpgaParts, the same
     * figures the OpenCL backend's FPGA estimator uses).
     */
    public static DeviceEnergyProfile fpga(FpgaPart part) {
        double f = ProcessScaling.energyFactor(part.processNm());
        double fp32 = FP32_OP_PJ_45NM * f;
        return new DeviceEnergyProfile("FPGA " + part.id() + " (" + part.processNm() + " nm)", part.processNm(), fp32,
                INT8_OP_PJ_45NM * f, SMALL_SRAM_BYTE_PJ_45NM * f, part.power().dramPjPerByte(),
                FPGA_OVERHEAD_OVER_ARITHMETIC * fp32, part.power().boardIdleWatts(), part.memory().totalBytes());
    }

    /** Whether an OpenCL backend's device description names a CPU device (PoCL's do). */
    static boolean isCpuDescription(String description) {
        String d = description == null ? "" : description.toLowerCase(Locale.ROOT);
        return d.contains("pocl") || d.contains("cpu");
    }
}
