package dev.kiln.cli.conformance;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.memory.MemoryPlan;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.TensorFiles;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.KernelChoice;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs one conformance test to its verdict, without a time limit (the caller adds one): loads and compiles the
 * model, feeds each data set's inputs to the graph inputs by position, and compares every output. A model that uses
 * ops the chosen device (or, without one, every available device) cannot run is skipped, not failed.
 */
public final class TestExecutor {
    /** PASS, FAIL or SKIP with its one-line reason (null for PASS). */
    public record Verdict(TestResult.Status status, String reason, Map<String, String> kernels) {
        static final Verdict PASS = new Verdict(TestResult.Status.PASS, null, Map.of());

        static Verdict fail(String reason) { return new Verdict(TestResult.Status.FAIL, reason, Map.of()); }

        static Verdict skip(String reason) { return new Verdict(TestResult.Status.SKIP, reason, Map.of()); }

        /** This verdict, with the compiled graph's kernels per op (see {@link TestResult#kernels()}). */
        Verdict with(List<KernelChoice> choices) {
            Map<String, String> byOp = new TreeMap<>();
            for (KernelChoice c : choices) {
                String kind = c.generic() ? TestResult.GENERIC : TestResult.OWN;
                byOp.merge(c.op(), kind, (a, b) -> a.equals(b) ? a : TestResult.MIXED);
            }
            return new Verdict(status, reason, byOp);
        }
    }

    private final String device;
    private final OptLevel level;
    private final OutputComparison comparison;

    /** {@code device} null: compile for the fastest available device that runs the whole model. */
    public TestExecutor(String device, OptLevel level, OutputComparison comparison) {
        this.device = device;
        this.level = level;
        this.comparison = comparison;
    }

    /** Runs {@code test}; {@code opsUsed} hears the model's ops as soon as they are known (also when it then fails). */
    public Verdict execute(ConformanceTest test, Consumer<List<String>> opsUsed) {
        Model model;
        try {
            model = Kiln.load(test.model());
        } catch (KilnException e) {
            List<String> missing = UnsupportedOps.of(e);
            if (missing == null) return Verdict.fail(e.getMessage());
            opsUsed.accept(missing);
            return Verdict.skip("not implemented: " + String.join(", ", missing));
        }
        opsUsed.accept(OpsUsed.of(model.graph()));
        String unsupported = unsupportedReason(model.graph());
        if (unsupported != null) return Verdict.skip(unsupported);
        try {
            model = optimize(model);
        } catch (RuntimeException e) {
            return Verdict.fail("-" + level + ": " + e.getMessage());
        }
        Graph graph = model.graph();
        try {
            CompiledModel compiled = model.compile(CompileOptions.defaults().withDevice(device)
                    .withArenaBytes(MemoryPlan.read(graph).arenaBytes()));
            try (Session session = compiled.newSession()) {
                for (ConformanceTest.DataSet set : test.dataSets()) {
                    String mismatch = runDataSet(graph, session, set);
                    if (mismatch != null) {
                        return Verdict.fail(test.dataSets().size() > 1 ? set.name() + ": " + mismatch : mismatch).with(compiled.kernels());
                    }
                }
            }
            return (test.dataSets().isEmpty() ? Verdict.fail("no test data sets") : Verdict.PASS).with(compiled.kernels());
        } catch (KilnException e) {
            return Verdict.fail(e.getMessage());
        }
    }

    /** Why no device can run the graph, or null when one can. */
    private String unsupportedReason(Graph graph) {
        List<Backend> candidates = device != null ? List.of(Backends.byName(device))
                : Backends.all().stream().filter(b -> b.devices().stream().anyMatch(d -> d.available())).toList();
        String firstReason = "no device available";
        for (Backend backend : candidates) {
            List<String> problems = Backends.unsupportedNodes(backend, graph);
            if (problems.isEmpty()) return null;
            if (backend == candidates.getFirst()) {
                firstReason = "device '" + backend.name() + "' does not support " + String.join("; ",
                        problems.subList(0, Math.min(3, problems.size()))) + (problems.size() > 3 ? "; ..." : "");
            }
        }
        return firstReason;
    }

    private String runDataSet(Graph graph, Session session, ConformanceTest.DataSet set) {
        List<Value> inputs = graph.inputs();
        List<Value> outputs = graph.outputs();
        if (set.expectedOutputs().size() != outputs.size()) {
            return "the model has " + outputs.size() + " outputs, the test data " + set.expectedOutputs().size();
        }
        Map<String, RuntimeValue> feeds;
        if (set.generatedInputs()) {
            feeds = LightInputs.generate(graph);
        } else {
            if (set.inputs().size() > inputs.size()) {
                return "the test data has " + set.inputs().size() + " inputs, the model takes " + inputs.size();
            }
            feeds = new LinkedHashMap<>();
            for (int i = 0; i < set.inputs().size(); i++) {
                feeds.put(inputs.get(i).name(), read(set.inputs().get(i), inputs.get(i)));
            }
        }
        Map<String, RuntimeValue> actual = session.runValues(feeds);
        for (int i = 0; i < outputs.size(); i++) {
            Value out = outputs.get(i);
            RuntimeValue expected = read(set.expectedOutputs().get(i), out);
            String m = comparison.mismatch("output '" + out.name() + "'", expected, actual.get(out.name()));
            if (m != null) return m;
        }
        return null;
    }

    private static RuntimeValue read(Path file, Value declared) {
        return TensorFiles.read(file, declared.type());
    }

    /** The level's pipeline with the verifier after every pass, so a pass that breaks a graph fails the test. */
    private Model optimize(Model model) {
        if (level == OptLevel.O0) return model;
        PassManager manager = PassManager.forLevel(level, PassOptions.verifying(), new PrintWriter(Writer.nullWriter()));
        Graph optimized = manager.run(model.graph(), new PassContext(level, Map.of(), TargetPreferences.reference())).graph();
        return Kiln.fromGraph(optimized, model.source());
    }
}
