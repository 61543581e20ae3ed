package dev.kiln.bench.energy;

/**
 * Energy per inference and what it came from. {@code source} names the source: {@code rapl} (Linux powercap),
 * {@code nvml} (NVIDIA's management library), {@code board} (an OpenCL device's sensor), or {@code estimate} (the
 * model-based estimator, see docs/energy-model.md). {@code averageWatts} is the mean power while inferring and
 * {@code energyDelayProduct} is joules × seconds per inference.
 */
public record EnergyFigure(double joulesPerInference, double averageWatts, double energyDelayProduct, String source) {

    /** The figure for {@code joules} spent over {@code inferences} inferences taking {@code seconds} in all. */
    public static EnergyFigure of(double joules, long inferences, double seconds, String source) {
        double perInference = joules / inferences;
        return new EnergyFigure(perInference, joules / seconds, perInference * (seconds / inferences), source);
    }

    public boolean isEstimate() { return "estimate".equals(source); }
}
