package dev.kiln.bench;

import dev.kiln.bench.AlternatingRounds.Tally;
import dev.kiln.bench.energy.DeviceEnergyProfiles;
import dev.kiln.bench.energy.EnergyEstimator;
import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.bench.energy.EnergyMeter;
import dev.kiln.bench.energy.EnergyMeters;
import dev.kiln.bench.energy.GraphCost;
import dev.kiln.bench.energy.MeterLookup;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Chooses each run's energy source: the device's hardware meter when one is readable (charged per round by
 * {@link AlternatingRounds}), otherwise the model-based estimate from the compiled graph's operation and traffic
 * counts (docs/energy-model.md). Why a meter is missing is said once per device, so an {@code estimate} in the output
 * is never a surprise.
 */
public final class EnergyAccounting {
    private final Consumer<String> notes;
    private final Set<String> noted = new HashSet<>();

    /** @param notes where the one-line reasons for a missing meter go (the command's stderr) */
    public EnergyAccounting(Consumer<String> notes) { this.notes = notes; }

    /** The energy source for a run on {@code device}, a backend name. */
    public Source open(String device) {
        MeterLookup lookup = EnergyMeters.forDevice(device);
        if (lookup.meter().isEmpty()) noteOnce("meter " + device, "energy on " + device + ": " + lookup.reason());
        return new Source(device, lookup.meter().orElse(null));
    }

    private void noteOnce(String key, String note) {
        if (noted.add(key)) notes.accept(note);
    }

    /** One run's source: turns a runner's tally into joules per inference. */
    public final class Source {
        private final String device;
        private final EnergyMeter meter;

        private Source(String device, EnergyMeter meter) {
            this.device = device;
            this.meter = meter;
        }

        /** The meter the rounds read, or null when the figure will be estimated. */
        public EnergyMeter meter() { return meter; }

        /**
         * The figure for one runner's tally. Both runtimes of a comparison are charged by the same meter or, without
         * one, estimated from Kiln's compiled graph: the same arithmetic and weights (ONNX Runtime fuses alike), at
         * each runtime's own measured latency. Null when the graph's sizes cannot be worked out ahead of a run.
         */
        public EnergyFigure figure(Tally tally, Graph compiledGraph, Map<String, Tensor> feed, double secondsPerInference) {
            if (meter != null && !Double.isNaN(tally.joules())) {
                return EnergyFigure.of(tally.joules(), tally.inferences(), tally.busySeconds(), meter.source());
            }
            Map<String, long[]> shapes = new LinkedHashMap<>();
            feed.forEach((name, t) -> shapes.put(name, t.shape()));
            GraphCost cost;
            try {
                cost = GraphCost.of(compiledGraph, shapes);
            } catch (KilnException e) {
                // The estimate needs every tensor's size; a graph whose shapes depend on values gets no figure, said once.
                noteOnce("cost " + compiledGraph.name(), e.getMessage() + "; so no energy figure");
                return null;
            }
            return EnergyEstimator.estimate(cost, DeviceEnergyProfiles.forDevice(device), secondsPerInference);
        }
    }
}
