package dev.kiln.bench.energy;

/**
 * Where the estimated joules of one inference go: arithmetic (FP32 and INT8 operations), instruction/control
 * overhead, on-chip cache traffic, DRAM traffic, and static power over the inference's duration.
 */
public record EnergyBreakdown(double arithmeticJ, double overheadJ, double cacheJ, double dramJ, double staticJ) {
    public double dynamicJ() { return arithmeticJ + overheadJ + cacheJ + dramJ; }

    public double totalJ() { return dynamicJ() + staticJ; }
}
