package dev.kiln.backend.opencl.fpga;

/**
 * What hardware a loop nest's lanes take on a part. The per-lane and per-kernel figures below are judgement, read
 * off the order of magnitude the vendors' compile reports give (documented in docs/opencl-backend.md); the DSP
 * counts follow from the part's DSP block ({@link FpgaPart#dspPerLane}).
 */
final class ResourceModel {
    /**
     * Logic of one kernel beside its lanes: the load-store units of its global pointers (burst-coalescing with
     * caches in Intel's compiler, AXI masters in AMD's) and the loop control. Judgement: 3,000 cells.
     */
    static final long KERNEL_LOGIC_CELLS = 3_000;
    /** Block RAMs of one kernel's load-store units (burst and cache buffers). Judgement: 8 blocks. */
    static final long KERNEL_MEMORY_BLOCKS = 8;
    /** Logic of an int8 / int16 multiply-add lane: its share of the adder tree and registers. Judgement. */
    static final long INT8_LANE_CELLS = 25;
    static final long INT16_LANE_CELLS = 40;
    /** Logic per lane of a layer without multiply-adds (a 32-bit datapath: muxes, compare, registers). Judgement. */
    static final long DATAPATH_LANE_CELLS = 20;
    /**
     * A time-shared engine takes layer sizes at run time, so its address generators multiply by run-time values.
     * Judgement from PipeCNN's kernels: about 12 such 32-bit multiplies (memory read 6, write 4, pooling 2).
     */
    static final int ENGINE_RUNTIME_MULTIPLIES = 12;
    /** Kernels of a shared engine: memory read, convolution, pooling, elementwise, memory write (PipeCNN's split). */
    static final int ENGINE_KERNELS = 5;
    /** Cycles to fill and drain one kernel's pipeline per launch (judgement: about 100 stages). */
    static final double PIPELINE_FILL_CYCLES = 100;

    private ResourceModel() {}

    /** DSP blocks of {@code lanes} lanes doing {@code arithmeticPerTrip} operations each; int arithmetic outside multiply-adds is logic. */
    static long dsps(FpgaPart part, FpgaDataType dtype, boolean mac, int lanes, double arithmeticPerTrip) {
        if (!mac && dtype != FpgaDataType.FP32) return 0;
        return (long) Math.ceil(lanes * arithmeticPerTrip * part.dspPerLane(dtype) - 1e-9);
    }

    /** Logic cells of {@code lanes} lanes plus one kernel's overhead. */
    static long logic(FpgaPart part, FpgaDataType dtype, boolean mac, int lanes, double arithmeticPerTrip) {
        return KERNEL_LOGIC_CELLS + lanes * laneCells(part, dtype, mac, arithmeticPerTrip);
    }

    static long laneCells(FpgaPart part, FpgaDataType dtype, boolean mac, double arithmeticPerTrip) {
        long arithmetic = switch (dtype) {
            case FP32 -> part.dsp().fp32LaneLogicCells();
            case INT8 -> INT8_LANE_CELLS;
            case INT16 -> INT16_LANE_CELLS;
        };
        return mac ? arithmetic : DATAPATH_LANE_CELLS + Math.round(arithmeticPerTrip * arithmetic);
    }

    /** Blocks of a buffer of {@code elements} read {@code lanes} elements per cycle. */
    static long bufferBlocks(FpgaPart part, FpgaDataType dtype, long elements, int lanes) {
        int bits = dtype.bytes() * 8;
        return part.memory().blocksFor((long) lanes * bits, elements * bits);
    }

    /** The loop's initiation interval: accumulating into one fp32 sum waits on the adder unless the block accumulates. */
    static int initiationInterval(FpgaPart part, FpgaDataType dtype, boolean mac) {
        return mac && dtype == FpgaDataType.FP32 ? part.dsp().fp32AccumulateCycles() : 1;
    }
}
