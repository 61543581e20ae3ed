package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyFigure;

/**
 * One runtime's figures for one configuration. Sizes are bytes; {@code allocBytesPerInference} is Java heap
 * allocated per inference in steady state (all threads); {@code peakRssBytes} is the process's peak resident set.
 * {@code energy}, {@code accuracy} and {@code maxDeviation} are null when not measured (no labels, no inputs).
 */
public record BenchResult(
        String runtime,
        String model,
        String device,
        int threads,
        int batch,
        String precision,
        String optLevel,
        LatencyStats latency,
        double throughputPerSecond,
        double compileMillis,
        double firstInferenceMicros,
        double allocBytesPerInference,
        long arenaBytes,
        long peakRssBytes,
        long modelBytes,
        long artifactBytes,
        EnergyFigure energy,
        Double accuracy,
        Double maxDeviation) {

    /** A short label for tables and charts: {@code ref fp32 1t b1}. */
    public String configLabel() {
        return device + " " + precision + " " + threads + "t b" + batch;
    }

    public BenchResult withEnergy(EnergyFigure figure) {
        return new BenchResult(runtime, model, device, threads, batch, precision, optLevel, latency, throughputPerSecond,
                compileMillis, firstInferenceMicros, allocBytesPerInference, arenaBytes, peakRssBytes, modelBytes,
                artifactBytes, figure, accuracy, maxDeviation);
    }
}
