package dev.kiln.backend.opencl.fpga;

/**
 * Board power and energy from resources, clock and traffic. A resource's dynamic figure in microwatts per MHz is
 * also its energy per clock cycle in picojoules (1 uW/MHz = 1e-12 J per cycle), so a layer's switching energy is
 * its busy resources times its cycles; external memory adds its bytes times the part's pJ per byte. Dynamic power
 * passes through the board's regulators, whose losses the idle figure already includes.
 */
final class PowerModel {
    /** Regulator efficiency of an accelerator board (judgement: 85%, typical of multi-phase point-of-load supplies). */
    static final double REGULATOR_EFFICIENCY = 0.85;

    private PowerModel() {}

    /** Switching energy in pJ of {@code dsps}, {@code blocks} and {@code logicCells} busy for {@code cycles}. */
    static double switchingPj(FpgaPart part, long dsps, long blocks, long logicCells, double cycles) {
        FpgaPart.PowerFigures p = part.power();
        double perCycle = dsps * p.dspMicrowattsPerMhz() + blocks * p.blockRamMicrowattsPerMhz()
                + logicCells / 1000.0 * p.logicMicrowattsPerMhzPerThousandCells();
        return perCycle * cycles;
    }

    /** Energy in pJ of moving {@code bytes} to or from external memory. */
    static double externalPj(FpgaPart part, double bytes) { return bytes * part.power().dramPjPerByte(); }

    /** Board power at {@code inferencesPerSecond}, each inference costing {@code dynamicPj} at the FPGA's rails. */
    static double boardWatts(FpgaPart part, double dynamicPj, double inferencesPerSecond) {
        return part.power().boardIdleWatts() + dynamicPj * 1e-12 * inferencesPerSecond / REGULATOR_EFFICIENCY;
    }
}
