package dev.kiln.backend.opencl.fpga;

/**
 * The estimate for one layer (all figures are estimates): the hardware it takes — DSP blocks, on-chip memory
 * blocks, logic cells — and its timing: {@code lanes} parallel trips of its innermost loop, the initiation
 * interval {@code ii}, {@code cycles} per inference (the larger of compute and external-memory time),
 * {@code externalBytes} moved per inference and {@code dynamicPj} switching energy per inference. For a shared
 * engine the hardware columns are 0 on each layer and counted once in the total.
 */
public record LayerEstimate(String node, String op, int lanes, int ii, long dsps, long memoryBlocks, long logicCells,
                            double cycles, double computeCycles, double externalBytes, boolean weightsOnChip,
                            double dynamicPj) {
    /** Whether the layer waits on external memory rather than on its lanes. */
    public boolean memoryBound() { return cycles > computeCycles; }
}
