package dev.kiln.bench;

import dev.kiln.bench.AlternatingRounds.Tally;
import dev.kiln.bench.AlternatingRounds.Turn;
import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.bench.onnxruntime.OrtRunner;
import dev.kiln.bench.profile.NodeProfile;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.io.TensorFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Measures one configuration: prepares Kiln (and ONNX Runtime with {@code --compare}) on the same inputs, times the
 * first inference, warms up, runs the alternating rounds, then checks outputs and accuracy outside the timing.
 */
public final class Benchmark {
    /** Feeds checked against the other runtime and the reference backend: enough to catch a wrong kernel, quick on big models. */
    static final int CHECKED_FEEDS = 8;
    /**
     * The pause between runners' turns with several threads. ONNX Runtime's intra-op workers spin-wait after its
     * inferences (allow_spinning, its default); on this 2-core machine a process kept 35–50% of a core busy for
     * about 60 ms after a MobileNetV2 run on 2 threads, then went idle. One thread has no workers to wait for.
     */
    static final long SETTLE_MILLIS = 100;

    private final Function<BenchConfig, Model> prepare;
    private final EnergyAccounting energy;
    private final PrintWriter err;
    private final boolean terminal;
    /** Where a per-node profile of each configuration goes after its rounds; null: no profile. */
    private final Consumer<NodeProfile> profiles;

    /**
     * @param prepare loads and optimizes the model for a configuration (the CLI's pass driver; timed as compile time)
     */
    public Benchmark(Function<BenchConfig, Model> prepare, EnergyAccounting energy, PrintWriter err, boolean terminal) {
        this(prepare, energy, err, terminal, null);
    }

    private Benchmark(Function<BenchConfig, Model> prepare, EnergyAccounting energy, PrintWriter err, boolean terminal,
                      Consumer<NodeProfile> profiles) {
        this.prepare = prepare;
        this.energy = energy;
        this.err = err;
        this.terminal = terminal;
        this.profiles = profiles;
    }

    /**
     * This benchmark, also timing Kiln's every node after each configuration's rounds (as many inferences as the
     * rounds ran, separately, so the rounds' figures are those of an unprofiled run) and handing the profile to {@code sink}.
     */
    public Benchmark profiling(Consumer<NodeProfile> sink) { return new Benchmark(prepare, energy, err, terminal, sink); }

    public BenchRun run(BenchConfig config) {
        Model imported = Kiln.load(config.model());
        BenchInputs inputs = inputs(config, imported);
        List<InferenceRunner> runners = new ArrayList<>();
        try {
            KilnRunner kiln = new KilnRunner(() -> prepare.apply(config),
                    new CompileOptions(config.device(), config.threads()), inputs.feeds());
            runners.add(kiln);
            if (config.compareOnnxRuntime()) runners.add(new OrtRunner(config.model(), config.threads(), inputs.feeds()));
            double[] firstMicros = new double[runners.size()];
            List<Turn> turns = new ArrayList<>();
            for (int r = 0; r < runners.size(); r++) {
                InferenceRunner runner = runners.get(r);
                long start = System.nanoTime();
                runner.infer(0);
                firstMicros[r] = (System.nanoTime() - start) / 1e3;
                turns.add(new Turn(runner, config.perRound(warmUp(runner, config.warmup(), inputs, firstMicros[r] * 1e3))));
            }
            EnergyAccounting.Source meter = energy.open(kiln.compiled().device());
            AlternatingRounds rounds = new AlternatingRounds(System::nanoTime, AllocationCounter::totalAllocatedBytes, meter.meter(),
                    config.threads() > 1 ? AlternatingRounds.sleeping(SETTLE_MILLIS) : () -> {});
            String label = "bench " + config.model().getFileName() + " (" + config.device() + ", " + config.threads() + "t, b" + config.batch() + ")";
            List<Tally> tallies = rounds.run(turns, inputs.feeds().size(), config.rounds(), new ProgressReporter(err, terminal, label));
            if (profiles != null) profiles.accept(kiln.profile((int) Math.clamp(tallies.getFirst().inferences(), 1, Integer.MAX_VALUE)));
            List<Map<String, Tensor>> referenceOutputs = config.inputs() == null ? null : referenceOutputs(imported, inputs);
            List<BenchResult> results = new ArrayList<>();
            for (int r = 0; r < runners.size(); r++) {
                InferenceRunner runner = runners.get(r);
                Tally tally = tallies.get(r);
                LatencyStats latency = LatencyStats.ofNanos(tally.nanos());
                EnergyFigure figure = meter.figure(tally, kiln.compiled().graph(), inputs.feeds().getFirst(), latency.meanUs() / 1e6);
                results.add(new BenchResult(runner.runtime(), config.model().getFileName().toString(),
                        r == 0 ? kiln.compiled().device() : "cpu", config.threads(), inputs.batch(), config.precision(),
                        r == 0 ? optLevel(config, imported) : "ort-all", latency, inputs.batch() * tally.inferences() / tally.busySeconds(),
                        runner.compileMillis(), firstMicros[r], tally.allocBytesPerInference(),
                        r == 0 ? kiln.compiled().arenaBytes() : -1, ProcessMemory.peakResidentBytes(), size(config.model()),
                        r == 0 && imported.artifact() != null ? size(config.model()) : -1,
                        figure, accuracy(runner, inputs), deviation(runner, referenceOutputs)));
            }
            if (results.size() == 1) return BenchRun.alone(results.getFirst());
            return compare(results, runners, inputs);
        } finally {
            runners.forEach(InferenceRunner::close);
        }
    }

    /** The level the model was optimized at: an artifact's own, recorded when it was compiled. */
    private static String optLevel(BenchConfig config, Model imported) {
        return imported.artifact() == null ? config.optLevel() : imported.artifact().options().getOrDefault("opt_level", config.optLevel());
    }

    private static BenchInputs inputs(BenchConfig config, Model imported) {
        if (config.inputs() == null) return BenchInputs.random(imported.graph(), config.batch(), 42);
        Tensor samples = tensor(config.inputs());
        Tensor labels = config.labels() == null ? null : tensor(config.labels());
        return BenchInputs.fromSamples(imported.graph(), samples, labels, config.batch(), config.inputs().toString());
    }

    /** Warms up (see {@link WarmUp}) and returns the warm-up's mean latency in nanoseconds ({@code fallbackNanos} with none). */
    private static double warmUp(InferenceRunner runner, int warmup, BenchInputs inputs, double fallbackNanos) {
        double mean = WarmUp.run(i -> runner.infer(i % inputs.feeds().size()), warmup);
        return Double.isNaN(mean) ? fallbackNanos : mean;
    }

    private static BenchRun compare(List<BenchResult> results, List<InferenceRunner> runners, BenchInputs inputs) {
        double max = 0;
        boolean agree = true;
        for (int f = 0; f < Math.min(CHECKED_FEEDS, inputs.feeds().size()); f++) {
            Map<String, Tensor> kiln = runners.get(0).outputs(f);
            Map<String, Tensor> baseline = runners.get(1).outputs(f);
            double d = OutputChecks.maxDifference(kiln, baseline);
            if (!Double.isNaN(d)) max = Math.max(max, d);
            agree &= OutputChecks.agree(kiln, baseline);
        }
        return new BenchRun(results.get(0), results.get(1), max, agree);
    }

    /**
     * The reference backend on the unoptimized model (for a saved artifact, its optimized graph): the oracle every
     * deviation is measured from.
     */
    private static List<Map<String, Tensor>> referenceOutputs(Model imported, BenchInputs inputs) {
        // An artifact is compiled for its own device: the reference runs its graph as a plain model.
        var compiled = Kiln.fromGraph(imported.graph(), imported.source()).compile(CompileOptions.defaults().withDevice("ref"));
        List<Map<String, Tensor>> outputs = new ArrayList<>();
        try (var session = compiled.newSession()) {
            for (int f = 0; f < Math.min(CHECKED_FEEDS, inputs.feeds().size()); f++) outputs.add(session.run(inputs.feeds().get(f)));
        }
        return outputs;
    }

    private static Double deviation(InferenceRunner runner, List<Map<String, Tensor>> reference) {
        if (reference == null) return null;
        double max = 0;
        for (int f = 0; f < reference.size(); f++) {
            double d = OutputChecks.maxDifference(runner.outputs(f), reference.get(f));
            if (!Double.isNaN(d)) max = Math.max(max, d);
        }
        return max;
    }

    private static Double accuracy(InferenceRunner runner, BenchInputs inputs) {
        if (!inputs.hasLabels()) return null;
        int correct = 0;
        int total = 0;
        for (int f = 0; f < inputs.feeds().size(); f++) {
            Tensor scores = runner.outputs(f).values().iterator().next();
            correct += OutputChecks.correct(scores, inputs.labels(f));
            total += inputs.batch();
        }
        return (double) correct / total;
    }

    private static Tensor tensor(Path file) {
        if (TensorFiles.read(file, null) instanceof Tensor t) return t;
        throw new KilnException(file + ": not a tensor");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
