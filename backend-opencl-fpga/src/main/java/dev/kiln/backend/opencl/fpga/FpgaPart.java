package dev.kiln.backend.opencl.fpga;

import java.util.Objects;

/**
 * One FPGA part on one board, as the estimator and the design-space exploration see it: how many DSP blocks and
 * what one block computes, logic, on-chip memory, the board's external memory bandwidth, a typical kernel clock,
 * and the figures of the power model. {@link FpgaParts} holds the known parts, each figure with its public source.
 *
 * @param id        the name used on the command line ({@code fpga:<id>})
 * @param vendor    decides the offline flow ({@code aoc} for Intel, {@code v++} for AMD)
 * @param name      the device's full name and ordering code
 * @param board     the board the memory and power figures describe
 * @param processNm the device's process node
 * @param dsp       the hardened multiply blocks
 * @param logic     the soft logic
 * @param memory    the on-chip memories
 * @param externalMemoryBytesPerSecond peak bandwidth of the board's external memory (all banks)
 * @param kernelClockHz a typical clock an OpenCL/HLS kernel closes timing at on this part (a judgement per family)
 * @param power     the power model's figures
 * @param sources   where the figures come from (titles and URLs), for the report
 */
public record FpgaPart(String id, Vendor vendor, String name, String board, int processNm, DspBlocks dsp,
                       Logic logic, OnChipMemory memory, double externalMemoryBytesPerSecond, double kernelClockHz,
                       PowerFigures power, String sources) {

    /** The two vendors; each has its own offline compiler. */
    public enum Vendor {
        INTEL("aoc"), AMD("v++");

        private final String offlineCompiler;

        Vendor(String offlineCompiler) { this.offlineCompiler = offlineCompiler; }

        /** The command that builds a bitstream for this vendor's parts. */
        public String offlineCompiler() { return offlineCompiler; }
    }

    /**
     * The DSP blocks: how many, and what one block computes per cycle. {@code fp32MultiplyAddsPerBlock} is 1 where
     * the block has hardened IEEE single precision (Arria 10, Stratix 10), a fraction where a multiply-add takes
     * several blocks (DSP48E2), and for Stratix V the multiplier only (its adder is built from logic).
     * {@code int8MultipliesPerBlock} and {@code int16MultipliesPerBlock} count independent multipliers.
     * {@code fp32LaneLogicCells}: the logic one fp32 multiply-add lane adds beside its blocks (registers and routing
     * where the float is hardened, a soft adder where it is not); {@code fp32AccumulateCycles}: the initiation
     * interval of a loop that accumulates into one fp32 sum (1 where the block accumulates in a single cycle, else
     * the adder's latency); {@code blocksPer32BitMultiply}: blocks one 32-bit integer multiply takes (address
     * arithmetic on run-time sizes).
     */
    public record DspBlocks(int count, String description, double fp32MultiplyAddsPerBlock,
                            int int8MultipliesPerBlock, int int16MultipliesPerBlock, int fp32LaneLogicCells,
                            int fp32AccumulateCycles, int blocksPer32BitMultiply) {
        public DspBlocks {
            if (count <= 0 || fp32MultiplyAddsPerBlock <= 0 || int8MultipliesPerBlock <= 0 || int16MultipliesPerBlock <= 0
                    || fp32LaneLogicCells <= 0 || fp32AccumulateCycles <= 0 || blocksPer32BitMultiply <= 0) {
                throw new IllegalArgumentException("DSP figures must be positive: " + description);
            }
        }
    }

    /** Soft logic: {@code cells} of the family's unit ({@code ALM} or {@code LUT}) and the registers. */
    public record Logic(long cells, String unit, long registers) {
        public Logic {
            if (cells <= 0 || registers <= 0) throw new IllegalArgumentException("logic figures must be positive");
        }
    }

    /**
     * On-chip memory: {@code blocks} block RAMs of {@code bitsPerBlock} each ({@code M20K} 20,480 bits,
     * {@code BRAM36} 36,864 bits), and {@code largeBlocks} of {@code bitsPerLargeBlock} (UltraRAM, 294,912 bits;
     * 0 where the part has none). {@code widestPortBits}: the widest port of one block (M20K 40, BRAM36 72), which
     * decides how many blocks a wide, shallow buffer takes.
     */
    public record OnChipMemory(String blockName, int blocks, long bitsPerBlock, int widestPortBits, int largeBlocks,
                               long bitsPerLargeBlock) {
        public OnChipMemory {
            if (blocks <= 0 || bitsPerBlock <= 0 || widestPortBits <= 0 || largeBlocks < 0 || bitsPerLargeBlock < 0) {
                throw new IllegalArgumentException("on-chip memory figures must be positive");
            }
        }

        /** All on-chip block memory in bytes. */
        public long totalBytes() { return totalBits() / 8; }

        /** All on-chip block memory in bits. */
        public long totalBits() { return blocks * bitsPerBlock + largeBlocks * bitsPerLargeBlock; }

        /** Blocks a buffer of {@code bits} read {@code widthBits} at a time takes (at least one per port width). */
        public long blocksFor(long widthBits, long bits) {
            if (bits <= 0) return 0;
            return Math.max((bits + bitsPerBlock - 1) / bitsPerBlock, (widthBits + widestPortBits - 1) / widestPortBits);
        }
    }

    /**
     * The power model's figures. {@code boardIdleWatts}: the board with the FPGA configured and clocked but idle
     * (the FPGA's static power, the memory devices, transceivers, fan and regulator losses), which an inference
     * pays for its whole duration. Dynamic power per resource in microwatts per MHz of kernel clock: per busy DSP
     * block, per active block RAM, and per thousand logic cells at a typical toggle rate. {@code dramPjPerByte}:
     * energy per byte moved to or from external memory.
     */
    public record PowerFigures(double boardIdleWatts, double dspMicrowattsPerMhz, double blockRamMicrowattsPerMhz,
                               double logicMicrowattsPerMhzPerThousandCells, double dramPjPerByte) {
        public PowerFigures {
            for (double v : new double[] {boardIdleWatts, dspMicrowattsPerMhz, blockRamMicrowattsPerMhz,
                    logicMicrowattsPerMhzPerThousandCells, dramPjPerByte}) {
                if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("power figures must be positive and finite");
            }
        }
    }

    public FpgaPart {
        Objects.requireNonNull(id);
        Objects.requireNonNull(vendor);
        if (externalMemoryBytesPerSecond <= 0 || kernelClockHz <= 0 || processNm <= 0) {
            throw new IllegalArgumentException("part " + id + ": bandwidth, clock and process must be positive");
        }
    }

    /** DSP blocks one multiply-add lane takes for {@code dtype} (fractional where several lanes share a block). */
    public double dspPerLane(FpgaDataType dtype) {
        return switch (dtype) {
            case FP32 -> 1.0 / dsp.fp32MultiplyAddsPerBlock();
            case INT8 -> 1.0 / dsp.int8MultipliesPerBlock();
            case INT16 -> 1.0 / dsp.int16MultipliesPerBlock();
        };
    }
}
