package dev.kiln.bench.energy;

/**
 * A hardware energy counter (RAPL, NVML, a board sensor). The harness reads it before and after each timed round,
 * so rounds of different runtimes alternating on one machine are each charged their own joules.
 */
public interface EnergyMeter {
    /** What {@link EnergyFigure#source()} says for this meter: {@code rapl}, {@code nvml}, {@code board}. */
    String source();

    /** Joules consumed since an arbitrary fixed origin, monotonic (counter wrap-around handled by the meter). */
    double joules();
}
