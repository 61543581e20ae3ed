package dev.kiln.bench;

import dev.kiln.bench.AlternatingRounds.Tally;
import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.bench.energy.EnergyMeter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Chooses each run's energy source: the device's hardware meter when one is readable (charged per round by
 * {@link AlternatingRounds}), otherwise the model-based estimate from the compiled graph's operation and traffic
 * counts. The reason a meter is missing is said once, so an {@code estimate} in the output is never a surprise.
 */
public final class EnergyAccounting {
    /** The hardware meter for a device, or the one-line reason there is none. */
    public record MeterChoice(EnergyMeter meter, String reason) {}

    /** Estimates joules per inference for a compiled graph run on {@code device} with these input shapes. */
    public interface Estimator {
        EnergyFigure estimate(Graph graph, Map<String, long[]> inputShapes, String device, double secondsPerInference);
    }

    /** Finds the hardware meter of a device. */
    public interface Meters {
        MeterChoice forDevice(String device);
    }

    private final Meters meters;
    private final Estimator estimator;
    private final Consumer<String> notes;
    private final Set<String> noted = new HashSet<>();

    public EnergyAccounting(Meters meters, Estimator estimator, Consumer<String> notes) {
        this.meters = meters;
        this.estimator = estimator;
        this.notes = notes;
    }

    /** The energy source for a run on {@code device} (null: the automatic choice, measured as the host). */
    public Session open(String device) {
        String name = device == null ? "cpu" : device;
        MeterChoice choice = meters.forDevice(name);
        if (choice.meter() == null && noted.add(name)) notes.accept("energy on " + name + ": " + choice.reason());
        return new Session(name, choice.meter());
    }

    /** One run's source: turns a tally into joules per inference. */
    public final class Session {
        private final String device;
        private final EnergyMeter meter;

        private Session(String device, EnergyMeter meter) {
            this.device = device;
            this.meter = meter;
        }

        /** The meter the rounds read, or null when the figure will be estimated. */
        public EnergyMeter meter() { return meter; }

        /**
         * The figure for one runner's tally. Both runtimes of a comparison are charged by the same meter or, without
         * one, estimated from Kiln's compiled graph (the same arithmetic and weights; ONNX Runtime fuses alike).
         */
        public EnergyFigure figure(Tally tally, Graph compiledGraph, Map<String, Tensor> feed, double secondsPerInference) {
            if (meter != null && !Double.isNaN(tally.joules())) {
                return EnergyFigure.of(tally.joules(), tally.inferences(), tally.busySeconds(), meter.source());
            }
            Map<String, long[]> shapes = new LinkedHashMap<>();
            feed.forEach((name, t) -> shapes.put(name, t.shape()));
            return estimator.estimate(compiledGraph, shapes, device, secondsPerInference);
        }
    }
}
