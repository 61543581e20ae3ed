package dev.kiln.backend.opencl.fpga;

import java.util.List;

/**
 * The estimate of one design on one part (every figure an estimate, not a measurement): the layers, the hardware
 * the whole design takes, the latency of one inference, the steady-state throughput, the board power at that
 * throughput and the energy per inference. {@code architectureNote} says which hardware the figures model.
 */
public record FpgaEstimate(FpgaPart part, FpgaDesign design, List<LayerEstimate> layers, long dsps, long memoryBlocks,
                           long logicCells, double latencySeconds, double throughputPerSecond, double powerWatts,
                           double externalBytesPerInference, String architectureNote) {
    public FpgaEstimate {
        layers = List.copyOf(layers);
    }

    /** Energy per inference at the estimated throughput. */
    public double energyJoules() { return powerWatts / throughputPerSecond; }

    public double dspUtilization() { return (double) dsps / part.dsp().count(); }

    /** On-chip memory use against all of the part's block memory (UltraRAM counted in M20K/BRAM36 equivalents). */
    public double memoryUtilization() {
        return (double) memoryBlocks * part.memory().bitsPerBlock() / part.memory().totalBits();
    }

    public double logicUtilization() { return (double) logicCells / part.logic().cells(); }

    /** Whether every resource stays within {@code cap} of the part (real flows stop fitting near 80-90%). */
    public boolean fits(double cap) {
        return dspUtilization() <= cap && memoryUtilization() <= cap && logicUtilization() <= cap;
    }
}
