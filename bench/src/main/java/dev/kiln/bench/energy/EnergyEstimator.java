package dev.kiln.bench.energy;

/**
 * The model-based energy estimate where no sensor exists (docs/energy-model.md): dynamic energy from the compiled
 * graph's operation and traffic counts priced by a {@link DeviceEnergyProfile}, plus static power over the
 * measured time per inference. One model for every backend, so CPU, GPU and FPGA figures compare.
 */
public final class EnergyEstimator {
    private static final double PJ = 1e-12;

    private EnergyEstimator() {}

    /** The estimate for one inference taking {@code secondsPerInference}, labelled {@code estimate}. */
    public static EnergyFigure estimate(GraphCost cost, DeviceEnergyProfile profile, double secondsPerInference) {
        EnergyBreakdown b = breakdown(cost, profile, secondsPerInference);
        return EnergyFigure.of(b.totalJ(), 1, secondsPerInference, "estimate");
    }

    /**
     * The estimate's parts. Every byte read or written moves through the on-chip cache. DRAM traffic: none when
     * the graph's footprint fits in the last-level cache (repeated inferences find weights and buffers there);
     * otherwise the weights once per inference plus the activation traffic of every node whose own inputs and
     * outputs overflow the cache.
     */
    public static EnergyBreakdown breakdown(GraphCost cost, DeviceEnergyProfile profile, double secondsPerInference) {
        if (!(secondsPerInference > 0) || Double.isInfinite(secondsPerInference)) {
            throw new IllegalArgumentException("seconds per inference must be positive and finite, got " + secondsPerInference);
        }
        long ops = cost.flops() + cost.int8Ops();
        double arithmetic = (cost.flops() * profile.fp32OpPj() + cost.int8Ops() * profile.int8OpPj()) * PJ;
        double overhead = ops * profile.overheadPerOpPj() * PJ;
        double cache = (double) (cost.bytesRead() + cost.bytesWritten()) * profile.cacheBytePj() * PJ;
        double dram = dramBytes(cost, profile.lastLevelCacheBytes()) * profile.dramBytePj() * PJ;
        return new EnergyBreakdown(arithmetic, overhead, cache, dram, profile.staticWatts() * secondsPerInference);
    }

    /** Bytes fetched from DRAM per inference under the rule of {@link #breakdown}. */
    public static long dramBytes(GraphCost cost, long lastLevelCacheBytes) {
        if (cost.footprintBytes() <= lastLevelCacheBytes) return 0;
        long spilled = cost.nodes().stream().filter(n -> n.bytesRead() + n.bytesWritten() > lastLevelCacheBytes)
                .mapToLong(NodeCost::activationBytes).sum();
        return cost.weightBytes() + spilled;
    }
}
