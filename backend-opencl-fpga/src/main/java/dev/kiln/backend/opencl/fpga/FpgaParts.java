package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.fpga.FpgaPart.DspBlocks;
import dev.kiln.backend.opencl.fpga.FpgaPart.Logic;
import dev.kiln.backend.opencl.fpga.FpgaPart.OnChipMemory;
import dev.kiln.backend.opencl.fpga.FpgaPart.PowerFigures;
import dev.kiln.backend.opencl.fpga.FpgaPart.Vendor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FPGA parts Kiln knows, by id. Resource counts are the vendors' product tables; the board's memory bandwidth
 * is its user manual's; kernel clocks and power figures are judgement, said so next to each, and documented in
 * docs/opencl-backend.md ("FPGA parts, estimates and exploration").
 *
 * <p>Power figures per process generation (judgement, microwatts per MHz): a busy 28 nm variable-precision DSP block
 * 15, an active M20K 12, a thousand ALMs of logic at a typical 12.5% toggle rate 60 — the order of magnitude the
 * vendors' early power estimators (Intel EPE, AMD XPE) give for such resources. Arria 10 takes 60% of the 28 nm
 * figures (Intel: "up to 40% lower power than previous generation", Arria 10 Device Overview), Stratix 10 50%, the
 * 16 nm UltraScale+ parts 50% for block RAM and logic and a third for the smaller DSP48E2 slice (judgement). External memory costs 160 pJ per
 * byte (M. Horowitz, "Computing's energy problem", ISSCC 2014: 640 pJ per 32-bit DRAM read), the same figure the
 * benchmark harness's energy model uses (docs/energy-model.md).
 */
public final class FpgaParts {
    /** Horowitz 2014, ISSCC: a 32-bit DRAM read 640 pJ, per byte; the energy model's DDR figure. */
    static final double DRAM_PJ_PER_BYTE = 640.0 / 4;

    /**
     * Stratix V has no hardened float: an fp32 adder is soft logic, about 500 ALMs and 7-14 cycles of latency in
     * Intel's Floating Point IP user guides (judgement: 550 ALMs with the lane's registers, 8 cycles at 200 MHz).
     */
    static final int SOFT_FP32_ADD_ALMS = 550;
    static final int SOFT_FP32_ADD_CYCLES = 8;
    /** Where the DSP block does the fp32 multiply-add, a lane adds only registers and routing (judgement: 50 ALMs). */
    static final int HARD_FP32_LANE_ALMS = 50;
    /**
     * DSP48E2 fp32: the Floating-Point Operator's full-DSP multiply and add (PG060 resource tables) need about 100
     * and 200 LUTs; the add's latency at 300 MHz is about 5 cycles in Vitis HLS reports (judgement).
     */
    static final int DSP48_FP32_LANE_LUTS = 300;
    static final int DSP48_FP32_ADD_CYCLES = 5;
    // A 32-bit integer multiply takes 2 Intel variable-precision blocks (the 36x36 mode, Stratix 10 Device Overview
    // "Variable Precision DSP Block Configurations") and, judgement, 4 DSP48E2 slices (27x18 partial products).

    private static final Map<String, FpgaPart> PARTS = new LinkedHashMap<>();

    static {
        add(new FpgaPart("stratixv-gxa7", Vendor.INTEL, "Intel Stratix V GX A7 (5SGXEA7N2F45C2)", "Terasic DE5-Net", 28,
                // Stratix V Device Overview (https://www.intel.com/content/www/us/en/docs/programmable/683258/current/):
                // GX A7 has 256 variable-precision DSP blocks (512 18x18 multipliers), 234,720 ALMs, 939K registers,
                // 2,560 M20K. No hardened float: an fp32 multiply takes one 27x27 block, its adder is logic.
                // int8: the OpenCL compiler maps each <=18-bit multiply to one 18x18 half-block (two per block).
                new DspBlocks(256, "variable precision: 1x 27x27 or 2x 18x18 (sum) or 3x 9x9", 1, 2, 2, SOFT_FP32_ADD_ALMS,
                        SOFT_FP32_ADD_CYCLES, 2),
                new Logic(234_720, "ALM", 938_880),
                new OnChipMemory("M20K", 2_560, 20_480, 40, 0, 0),
                // DE5-Net User Manual (https://www.terasic.com.tw/cgi-bin/page/archive.pl?Language=English&No=526):
                // two DDR3 SO-DIMM banks at 800 MHz (1600 MT/s) x 64 bit = 2 x 12.8 GB/s.
                25.6e9,
                200e6, // judgement: PipeCNN closed at 198-206 MHz on this board (FPT 2017; repository README)
                // Board idle, judgement: FPGA static 4 W + memory devices (2 DDR3 SO-DIMMs, 4 QDRII+ SRAMs) 8 W +
                // PCIe/transceivers 2 W + fan, CPLD, clocks 2 W = 16 W at the regulators, / 0.85 efficiency.
                new PowerFigures(16 / 0.85, 15, 12, 60, DRAM_PJ_PER_BYTE),
                "Stratix V Device Overview (Intel, 683258); DE5-Net User Manual (Terasic); power: judgement, see FpgaParts"));
        add(new FpgaPart("arria10-gx1150", Vendor.INTEL, "Intel Arria 10 GX 1150 (10AX115N2F45E1SG)", "Terasic DE5a-Net (also Intel PAC)", 20,
                // Arria 10 Core Fabric Handbook, "Variable Precision DSP Blocks: Resources"
                // (https://www.intel.com/content/www/us/en/docs/programmable/683461/current/resources.html): GX 1150
                // 1,518 blocks, 3,036 18x19 multipliers, one hardened fp32 multiply-add per block. Arria 10 Device
                // Overview (https://www.intel.com/content/www/us/en/docs/programmable/683332/current/): 427,200 ALMs,
                // 1,708,800 registers, 2,713 M20K (53 Mb). int8 two per block: PipeCNN's compile report on Arria 10
                // shows 512 8-bit multiplies in 256 blocks (https://github.com/doonny/PipeCNN/issues/56).
                new DspBlocks(1_518, "variable precision with hardened fp32: 1 fp32 FMA or 2x 18x19 or 1x 27x27", 1, 2, 2,
                        HARD_FP32_LANE_ALMS, 1, 2),
                new Logic(427_200, "ALM", 1_708_800),
                new OnChipMemory("M20K", 2_713, 20_480, 40, 0, 0),
                // DE5a-Net User Manual (https://www.terasic.com.tw/cgi-bin/page/archive.pl?Language=English&No=970):
                // two DDR3 SO-DIMM banks at 1066 MHz (2133 MT/s) x 64 bit = 2 x 17.06 GB/s.
                34.1e9,
                240e6, // judgement: OpenCL designs on Arria 10 close at 200-300 MHz (PipeCNN 218 MHz)
                // Board idle, judgement: FPGA static 5 W (larger 20 nm die) + memory devices 8 W + PCIe/transceivers
                // 2 W + fan, CPLD, clocks 2 W = 17 W, / 0.85 regulator efficiency. Dynamic: 60% of the 28 nm figures.
                new PowerFigures(17 / 0.85, 9, 7.2, 36, DRAM_PJ_PER_BYTE),
                "Arria 10 Core Fabric Handbook and Device Overview (Intel, 683461, 683332); DE5a-Net User Manual (Terasic); power: judgement"));
        add(new FpgaPart("stratix10-gx2800", Vendor.INTEL, "Intel Stratix 10 GX 2800 (1SG280LU2F50E2VG)", "Terasic DE10-Pro", 14,
                // Stratix 10 GX/SX Device Overview (https://www.intel.com/content/www/us/en/docs/programmable/683729/current/):
                // GX 2800: 933,120 ALMs, 3,732,480 registers, 11,721 M20K (229 Mb), 5,760 DSP blocks (11,520 18x19
                // multipliers), hardened fp32 multiply-add per block.
                new DspBlocks(5_760, "variable precision with hardened fp32: 1 fp32 FMA or 2x 18x19 or 1x 27x27", 1, 2, 2,
                        HARD_FP32_LANE_ALMS, 1, 2),
                new Logic(933_120, "ALM", 3_732_480),
                new OnChipMemory("M20K", 11_721, 20_480, 40, 0, 0),
                // DE10-Pro User Manual (https://www.terasic.com.tw/cgi-bin/page/archive.pl?Language=English&No=1144):
                // four DDR4 banks at 2400 MT/s x 64 bit = 4 x 19.2 GB/s.
                76.8e9,
                300e6, // judgement: HyperFlex OpenCL designs commonly close at 250-400 MHz
                // Board idle, judgement: FPGA static 12 W (large 14 nm die) + 4 DDR4 banks 6 W + transceivers 3 W +
                // fan and board 3 W = 24 W, / 0.85. Dynamic: 50% of the 28 nm figures.
                new PowerFigures(24 / 0.85, 7.5, 6, 30, DRAM_PJ_PER_BYTE),
                "Stratix 10 GX/SX Device Overview (Intel, 683729); DE10-Pro User Manual (Terasic); power: judgement"));
        add(new FpgaPart("alveo-u250", Vendor.AMD, "AMD Alveo U250 (XCU250, Virtex UltraScale+ VU13P class)", "Alveo U250 accelerator card", 16,
                // Alveo U200 and U250 Data Center Accelerator Cards Data Sheet, DS962
                // (https://docs.amd.com/r/en-US/ds962-u200-u250): 1,728K LUTs, 3,456K registers, 12,288 DSP slices,
                // 2,688 BRAM36 (94.5 Mb), 1,280 UltraRAM (360 Mb), 4x DDR4-2400 64 GB, 77 GB/s. DSP48E2 (UltraScale
                // DSP Slice User Guide, UG579): one 27x18 multiplier; an fp32 multiply-add takes 3 (multiply) + 2 (add)
                // slices in the Floating-Point Operator's full-DSP configuration (PG060), so 1/5 per slice.
                new DspBlocks(12_288, "DSP48E2: 1x 27x18 multiplier + 48-bit accumulator; fp32 FMA = 5 slices", 0.2, 1, 1,
                        DSP48_FP32_LANE_LUTS, DSP48_FP32_ADD_CYCLES, 4),
                new Logic(1_728_000, "LUT", 3_456_000),
                new OnChipMemory("BRAM36", 2_688, 36_864, 72, 1_280, 294_912),
                77e9,
                300e6, // the Vitis platform's default kernel clock for U250 (UG1120, xilinx_u250_gen3x16_xdma)
                // Board idle, judgement: the card with its shell loaded idles near 25-30 W (DS962 gives 225 W maximum).
                new PowerFigures(27, 5, 6, 30, DRAM_PJ_PER_BYTE),
                "Alveo U200/U250 Data Sheet DS962, UG579, PG060, UG1120 (AMD); power: judgement"));
        add(new FpgaPart("zu9eg", Vendor.AMD, "AMD Zynq UltraScale+ MPSoC ZU9EG (XCZU9EG-2FFVB1156E)", "ZCU102 evaluation board", 16,
                // Zynq UltraScale+ MPSoC Data Sheet: Overview, DS891
                // (https://docs.amd.com/v/u/en-US/ds891-zynq-ultrascale-plus-overview): ZU9EG 274,080 LUTs,
                // 548,160 flip-flops, 912 BRAM36 (32.1 Mb), no UltraRAM, 2,520 DSP48E2 slices.
                new DspBlocks(2_520, "DSP48E2: 1x 27x18 multiplier + 48-bit accumulator; fp32 FMA = 5 slices", 0.2, 1, 1,
                        DSP48_FP32_LANE_LUTS, DSP48_FP32_ADD_CYCLES, 4),
                new Logic(274_080, "LUT", 548_160),
                new OnChipMemory("BRAM36", 912, 36_864, 72, 0, 0),
                // ZCU102 Evaluation Board User Guide, UG1182 (https://docs.amd.com/v/u/en-US/ug1182-zcu102-eval-bd):
                // PS-side 64-bit DDR4 SO-DIMM at 2133 MT/s = 17 GB/s, the memory Vitis kernels reach.
                17.0e9,
                200e6, // judgement: Vitis embedded kernels on the ZCU102 base platform commonly run at 150-300 MHz
                // Board idle, judgement: PS (4x A53) and PL static about 4 W + DDR4 and board peripherals about 6 W.
                new PowerFigures(10, 5, 6, 30, DRAM_PJ_PER_BYTE),
                "Zynq UltraScale+ MPSoC Overview DS891, ZCU102 User Guide UG1182 (AMD); power: judgement"));
    }

    private FpgaParts() {}

    private static void add(FpgaPart part) { PARTS.put(part.id(), part); }

    /** The part named {@code id}, or a one-line error listing the known ids. */
    public static FpgaPart byId(String id) {
        FpgaPart part = PARTS.get(id);
        if (part == null) {
            throw new IllegalArgumentException("unknown FPGA part '" + id + "' (known: " + String.join(", ", PARTS.keySet()) + ")");
        }
        return part;
    }

    /** Every known part, in a stable order. */
    public static Iterable<FpgaPart> all() { return PARTS.values(); }
}
