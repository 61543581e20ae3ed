package dev.kiln.backend.opencl.fpga;

import java.util.ArrayList;
import java.util.List;

/**
 * One kernel per layer, each with its own hardware — the architecture Kiln's renderers emit. A layer's time is
 * the larger of its pipelined loop (trips x initiation interval, plus the copy of its weights on chip) and its
 * external traffic at the board's bandwidth. Latency is the layers one after another; throughput assumes
 * consecutive inferences overlap in the layer pipeline (each layer is separate hardware), so the slowest layer sets it.
 */
final class DedicatedModel {
    private DedicatedModel() {}

    static FpgaEstimate estimate(List<LoopNest> nests, FpgaPart part, FpgaDesign design) {
        List<LayerEstimate> layers = new ArrayList<>();
        long dsps = 0, blocks = 0, logic = 0;
        double cycles = 0, slowest = 0, bytes = 0, dynamicPj = 0;
        for (LoopNest nest : nests) {
            LayerEstimate layer = layer(nest, part, design);
            layers.add(layer);
            dsps += layer.dsps();
            blocks += layer.memoryBlocks();
            logic += layer.logicCells();
            cycles += layer.cycles();
            slowest = Math.max(slowest, layer.cycles());
            bytes += layer.externalBytes();
            dynamicPj += layer.dynamicPj();
        }
        double throughput = design.clockHz() / slowest;
        double watts = PowerModel.boardWatts(part, dynamicPj, throughput);
        return new FpgaEstimate(part, design, layers, dsps, blocks, logic, cycles / design.clockHz(), throughput, watts, bytes,
                "dedicated hardware per layer (one kernel per layer, as Kiln renders); throughput with consecutive inferences overlapped across layers");
    }

    static LayerEstimate layer(LoopNest nest, FpgaPart part, FpgaDesign design) {
        FpgaDataType dtype = design.dtype();
        boolean mac = nest.isMac();
        int lanes = design.lanesOf(nest.node(), nest.inner());
        int ii = ResourceModel.initiationInterval(part, dtype, mac);
        long weightBytes = nest.weightElements() * dtype.bytes();
        boolean onChip = nest.weightElements() > 0 && weightBytes <= design.localBytesPerLayer();
        double compute = (double) nest.trips(lanes) * ii + ResourceModel.PIPELINE_FILL_CYCLES;
        if (onChip) compute += LoopNest.ceilDiv(nest.weightElements(), design.lanesOf(nest.node() + "/load", nest.weightElements()));
        // Weights left in external memory are read again for every output position that uses them.
        double weightReads = onChip || !mac ? 1 : (double) nest.mac().images() * nest.mac().positions();
        double bytes = (double) (nest.streamedElements() + nest.outputElements()) * dtype.bytes() + weightBytes * weightReads;
        double memory = bytes / (part.externalMemoryBytesPerSecond() / design.clockHz());
        double cycles = Math.max(compute, memory);
        long dsps = ResourceModel.dsps(part, dtype, mac, lanes, nest.arithmeticPerTrip());
        long blocks = ResourceModel.KERNEL_MEMORY_BLOCKS
                + (onChip ? ResourceModel.bufferBlocks(part, dtype, nest.weightElements(), lanes) : 0)
                + ResourceModel.bufferBlocks(part, dtype, nest.lineBufferElements(), lanes);
        long logic = ResourceModel.logic(part, dtype, mac, lanes, nest.arithmeticPerTrip());
        double pj = PowerModel.switchingPj(part, dsps, blocks, logic, cycles) + PowerModel.externalPj(part, bytes);
        return new LayerEstimate(nest.node(), nest.op(), lanes, ii, dsps, blocks, logic, cycles, compute, bytes, onChip, pj);
    }
}
