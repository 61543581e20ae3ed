package dev.kiln.cli;

import dev.kiln.bench.BenchConfig;
import dev.kiln.bench.BenchJson;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Benchmark;
import dev.kiln.bench.Budget;
import dev.kiln.bench.EnergyAccounting;
import dev.kiln.bench.MachineInfo;
import dev.kiln.bench.ProgressReporter;
import dev.kiln.bench.RunSummary;
import dev.kiln.bench.profile.NodeProfile;
import dev.kiln.bench.profile.ProfileTable;
import dev.kiln.bench.report.HtmlReport;
import dev.kiln.bench.report.SweepTable;
import dev.kiln.passes.OptLevel;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.artifact.ArtifactReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kiln bench}: latency, throughput, memory and energy of a model, optionally side by side with ONNX Runtime
 * in alternating rounds, for one configuration or a sweep; JSON and HTML reports; budgets that fail the command.
 */
@Command(name = "bench", description = "Benchmark a model: latency, throughput, memory and energy, optionally against ONNX Runtime.")
final class BenchCommand extends CommandBase implements Callable<Integer> {
    static final int BUDGET_EXCEEDED = 3;
    static final int OUTPUTS_DIFFER = 4;
    static final List<String> PRECISIONS = List.of("fp32");

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx), or an artifact from 'kiln compile' (.kiln): compile time is then its load time.")
    Path model;

    @Option(names = {"-d", "--device"}, split = ",", paramLabel = "NAME",
            description = "Device (see 'kiln devices'); with --sweep a comma-separated list (default: every device that runs the model).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Threads for both runtimes (default: the cores available; --sweep: 1 and the cores).")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--batch", split = ",", paramLabel = "N", description = "Batch size (default: 1); a list with --sweep.")
    List<Integer> batches = new ArrayList<>();

    @Option(names = "--precision", split = ",", paramLabel = "P", description = "Precision (available: fp32); a list with --sweep.")
    List<String> precisions = new ArrayList<>();

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed inferences per runtime first (default: 2 s, then on while still speeding up, "
                    + "30 s at most, since JIT-compiled kernels need seconds of inferences).")
    Integer warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100",
            description = "Timed inferences per runtime, in 10 alternating rounds (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Time each runtime for about this long instead of --iterations.")
    double duration;

    @Option(names = "--compare", paramLabel = "RUNTIME", description = "Also run this runtime in the same rounds: onnxruntime.")
    String compare;

    @Option(names = "--inputs", paramLabel = "FILE.npy", description = "Samples (N along axis 0) to cut into batches; default: seeded random inputs.")
    Path inputs;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "N integer labels for --inputs: report top-1 accuracy.")
    Path labels;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report with charts.")
    Path report;

    @Option(names = "--sweep", description = "Measure every combination of --device, --precision, --threads and --batch.")
    boolean sweep;

    @Option(names = "--max-p99", paramLabel = "DURATION", description = "Fail (exit 3) when Kiln's p99 exceeds this (5ms, 250us, 1.5s).")
    String maxP99;

    @Option(names = "--max-energy", paramLabel = "JOULES", description = "Fail (exit 3) when Kiln's energy per inference exceeds this (0.002, 2mJ).")
    String maxEnergy;

    @Option(names = "--profile", description = "After the timed rounds, time every node of Kiln's compiled plan (as many inferences again) "
            + "and print each node's op, kernel, mean time, share and GFLOP/s, slowest first, then the totals per op type.")
    boolean profile;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        if (inputs != null) requireFile(inputs, "inputs");
        if (labels != null) requireFile(labels, "labels");
        if (compare != null && !compare.equals("onnxruntime")) throw usage("--compare takes onnxruntime, got '" + compare + "'");
        if (compare != null && ArtifactReader.isArtifact(head(model))) {
            throw usage("--compare needs the ONNX model: an artifact (" + model + ") holds only Kiln's compiled graph");
        }
        Budget budget = budget();
        List<BenchConfig> configs = configs();
        PrintWriter out = out();
        MachineInfo machine = MachineInfo.current();
        Benchmark benchmark = new Benchmark(c -> optimization.optimize(Kiln.load(c.model()), OptLevel.O2, err()),
                new EnergyAccounting(note -> err().println("kiln bench: " + note)), err(), ProgressReporter.onTerminal());
        List<NodeProfile> profiles = new ArrayList<>();
        if (profile) benchmark = benchmark.profiling(profiles::add);
        List<BenchRun> runs = new ArrayList<>();
        for (BenchConfig config : configs) {
            BenchRun run = benchmark.run(config);
            runs.add(run);
            if (!sweep) out.print(RunSummary.render(run));
            if (profile) out.print((sweep ? run.kiln().configLabel() + "\n" : "") + ProfileTable.render(profiles.getLast()));
            out.flush();
        }
        if (sweep) out.print(SweepTable.render(runs));
        out.println("machine: " + machine.summary());
        if (json != null) write(json, sweep ? BenchJson.sweep(runs, machine) : BenchJson.run(runs.getFirst(), machine));
        if (report != null) write(report, HtmlReport.render("kiln bench " + model.getFileName(), runs, machine, Instant.now()));
        return verdict(runs, budget);
    }

    private List<BenchConfig> configs() {
        if (!sweep && (devices.size() > 1 || threads.size() > 1 || batches.size() > 1 || precisions.size() > 1)) {
            throw usage("lists of devices, threads, batches or precisions need --sweep");
        }
        if (duration < 0) throw usage("--duration must be positive");
        if (warmup != null && warmup < 0) throw usage("--warmup must not be negative");
        if (duration > 0 && spec.commandLine().getParseResult().hasMatchedOption("--iterations")) {
            throw usage("give --iterations or --duration, not both");
        }
        for (String d : devices) knownDevice(d);
        for (String p : precisions) {
            if (!PRECISIONS.contains(p)) throw usage("precision '" + p + "' is not available (available: " + String.join(", ", PRECISIONS) + ")");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> deviceList = !devices.isEmpty() ? devices : sweep ? availableDevices() : java.util.Collections.singletonList(null);
        List<Integer> threadList = !threads.isEmpty() ? threads : sweep ? List.copyOf(new LinkedHashSet<>(List.of(1, cores))) : List.of(cores);
        List<Integer> batchList = batches.isEmpty() ? List.of(1) : batches;
        List<String> precisionList = precisions.isEmpty() ? PRECISIONS : precisions;
        String level = optimization.level(OptLevel.O2).toString();
        List<BenchConfig> configs = new ArrayList<>();
        for (String device : deviceList) {
            for (String precision : precisionList) {
                for (int t : threadList) {
                    for (int b : batchList) {
                        try {
                            configs.add(new BenchConfig(model, device, t, b, precision, level, warmup == null ? -1 : warmup, iterations, duration,
                                    compare != null, inputs, labels));
                        } catch (IllegalArgumentException e) {
                            throw usage(e.getMessage());
                        }
                    }
                }
            }
        }
        return configs;
    }

    private static List<String> availableDevices() {
        return Backends.all().stream().filter(b -> b.devices().stream().anyMatch(d -> d.available())).map(b -> b.name()).toList();
    }

    private Budget budget() {
        try {
            return new Budget(maxP99 == null ? Double.NaN : Budget.parseMicros(maxP99),
                    maxEnergy == null ? Double.NaN : Budget.parseJoules(maxEnergy));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** 0 when every run is within budget and agrees with the baseline; the budget failure wins over a mismatch. */
    private int verdict(List<BenchRun> runs, Budget budget) {
        PrintWriter err = err();
        List<String> violations = runs.stream().flatMap(r -> budget.violations(r.kiln()).stream()).toList();
        violations.forEach(v -> err.println("kiln bench: budget exceeded: " + v));
        List<BenchRun> differing = runs.stream().filter(r -> r.hasBaseline() && !r.outputsAgree()).toList();
        for (BenchRun r : differing) {
            err.printf("kiln bench: outputs differ from onnxruntime [%s]: max difference %.3g%n", r.kiln().configLabel(), r.outputsMaxDifference());
        }
        err.flush();
        if (!violations.isEmpty()) return BUDGET_EXCEEDED;
        return differing.isEmpty() ? 0 : OUTPUTS_DIFFER;
    }

    private static byte[] head(Path file) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        } catch (IOException e) {
            throw new KilnException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new KilnException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
