package dev.kiln.bench.energy;

/**
 * Energy figures of one device for {@link EnergyEstimator}, all in picojoules except {@code staticWatts}: per FP32
 * operation ({@code fp32OpPj}, the mean of an add and a multiply, so a multiply-add of 2 FLOPs costs one add plus
 * one multiply), per INT8 operation, per byte moved through the on-chip cache/SRAM, per byte from DRAM, and the
 * per-operation share of instruction and control overhead (instruction fetch, decode, register file, scheduling;
 * for an FPGA the programmable routing). {@code staticWatts} is the idle (leakage and always-on) power charged for
 * the inference's duration; {@code lastLevelCacheBytes} is the on-chip memory that decides whether traffic stays
 * on chip. Where each figure comes from: {@link DeviceEnergyProfiles} and docs/energy-model.md.
 */
public record DeviceEnergyProfile(String name, int processNm, double fp32OpPj, double int8OpPj, double cacheBytePj,
                                  double dramBytePj, double overheadPerOpPj, double staticWatts,
                                  long lastLevelCacheBytes) {
    public DeviceEnergyProfile {
        for (double v : new double[] {fp32OpPj, int8OpPj, cacheBytePj, dramBytePj, overheadPerOpPj, staticWatts}) {
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("energy figures must be finite and >= 0 for " + name);
        }
        if (lastLevelCacheBytes <= 0) throw new IllegalArgumentException("lastLevelCacheBytes must be > 0 for " + name);
    }
}
