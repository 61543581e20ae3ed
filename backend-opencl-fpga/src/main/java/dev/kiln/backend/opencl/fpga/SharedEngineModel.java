package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.fpga.LoopNest.MacShape;

import java.util.ArrayList;
import java.util.List;

/**
 * A PipeCNN-style design: one engine of vector x lanes multiply-adds that every convolution and fully connected
 * layer takes turns on (vector over a group's input channels, lanes over its output channels), one pooling and
 * elementwise unit of {@code lanes} lanes, and memory-read/-write kernels feeding them. Its hardware is counted
 * once; each layer adds only time. A convolution re-reads its input for every tile of {@code lanes} output
 * channels and its weights once per image; a fully connected layer (one position per image) reads its weights
 * once per batch. Latency and throughput are per image with the batch's weight traffic shared.
 */
final class SharedEngineModel {
    private SharedEngineModel() {}

    static FpgaEstimate estimate(List<LoopNest> nests, FpgaPart part, FpgaDesign design) {
        FpgaDataType dtype = design.dtype();
        int vector = design.vector(), lanes = design.lanes();
        long maxTaps = 1, maxLine = 0, maxWindowLine = 0;
        double maxArithmetic = 0;
        for (LoopNest n : nests) {
            if (n.isMac()) {
                maxTaps = Math.max(maxTaps, n.mac().taps());
                long channels = LoopNest.ceilDiv(n.mac().inPerGroup(), vector) * vector * n.mac().groups();
                maxLine = Math.max(maxLine, n.lineBufferElements() / Math.max(1, n.mac().inPerGroup() * n.mac().groups()) * channels);
            } else {
                maxArithmetic = Math.max(maxArithmetic, n.arithmeticPerTrip());
                maxWindowLine = Math.max(maxWindowLine, n.lineBufferElements());
            }
        }
        long macLanes = (long) vector * lanes;
        long dsps = (long) Math.ceil(macLanes * part.dspPerLane(dtype) - 1e-9)
                + (long) ResourceModel.ENGINE_RUNTIME_MULTIPLIES * part.dsp().blocksPer32BitMultiply()
                + ResourceModel.dsps(part, dtype, false, lanes, maxArithmetic);
        long logic = ResourceModel.ENGINE_KERNELS * ResourceModel.KERNEL_LOGIC_CELLS
                + macLanes * ResourceModel.laneCells(part, dtype, true, 1)
                + lanes * ResourceModel.laneCells(part, dtype, false, maxArithmetic);
        // Weights of one tile of filters per lane, double-buffered; the input rows a window needs; the pool's rows.
        long blocks = ResourceModel.ENGINE_KERNELS * ResourceModel.KERNEL_MEMORY_BLOCKS
                + lanes * ResourceModel.bufferBlocks(part, dtype, 2L * vector * maxTaps, vector)
                + ResourceModel.bufferBlocks(part, dtype, maxLine, vector)
                + ResourceModel.bufferBlocks(part, dtype, maxWindowLine, lanes);

        List<LayerEstimate> layers = new ArrayList<>();
        double cycles = 0, bytes = 0;
        double bytesPerCycle = part.externalMemoryBytesPerSecond() / design.clockHz();
        for (LoopNest n : nests) {
            double compute, traffic;
            if (n.isMac()) {
                MacShape m = n.mac();
                long channelTiles = LoopNest.ceilDiv(m.outPerGroup(), lanes);
                compute = (double) m.images() * m.positions() * m.groups() * channelTiles * m.taps()
                        * LoopNest.ceilDiv(m.inPerGroup(), vector);
                boolean fullyConnected = m.images() * m.positions() == 1;
                double weightShare = fullyConnected ? 1.0 / design.batch() : 1;
                traffic = ((double) n.streamedElements() * channelTiles + n.outputElements()
                        + n.weightElements() * weightShare) * dtype.bytes();
            } else {
                compute = Math.ceil((double) n.outer() * n.inner() / lanes);
                traffic = (double) (n.streamedElements() + n.outputElements() + n.weightElements()) * dtype.bytes();
            }
            compute += ResourceModel.PIPELINE_FILL_CYCLES;
            double layerCycles = Math.max(compute, traffic / bytesPerCycle);
            double pj = PowerModel.externalPj(part, traffic);
            layers.add(new LayerEstimate(n.node(), n.op(), n.isMac() ? vector * lanes : lanes, 1, 0, 0, 0,
                    layerCycles, compute, traffic, false, pj));
            cycles += layerCycles;
            bytes += traffic;
        }
        double dynamicPj = PowerModel.switchingPj(part, dsps, blocks, logic, cycles) + PowerModel.externalPj(part, bytes);
        double latency = cycles / design.clockHz();
        double watts = PowerModel.boardWatts(part, dynamicPj, 1 / latency);
        return new FpgaEstimate(part, design, layers, dsps, blocks, logic, latency, 1 / latency, watts, bytes,
                "time-shared engine of " + vector + " x " + lanes + " multiply-adds (PipeCNN-style), batch " + design.batch()
                        + " for fully connected layers; hardware counted once, layers add time");
    }
}
