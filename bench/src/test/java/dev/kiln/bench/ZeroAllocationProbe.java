package dev.kiln.bench;

import dev.kiln.ir.Graph;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs models (arguments: comma-separated model files, threads, a time bound in seconds per model, and optionally
 * models to run first without probing) through {@link KilnRunner}, each in batches until a batch allocates nothing
 * (or the bound passes), and prints each one's last batch's bytes.
 */
public final class ZeroAllocationProbe {
    static final int BATCH = 500;

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[1]);
        long bound = Long.parseLong(args[2]) * 1_000_000_000L;
        if (args.length > 3) for (String model : args[3].split(",")) run(Path.of(model), threads, BATCH * 20);
        for (String model : args[0].split(",")) probe(Path.of(model), threads, System.nanoTime() + bound);
    }

    /** Runs {@code inferences} of a model that is not probed, to leave its traces in the JIT first. */
    private static void run(Path file, int threads, int inferences) {
        try (KilnRunner runner = runner(file, threads)) {
            for (int i = 0; i < inferences; i++) runner.infer(i % BenchInputs.RANDOM_FEEDS);
        }
    }

    private static void probe(Path file, int threads, long deadline) {
        try (KilnRunner runner = runner(file, threads)) {
            long allocated;
            int batches = 0;
            do {
                long before = AllocationCounter.totalAllocatedBytes();
                for (int i = 0; i < BATCH; i++) runner.infer(i % BenchInputs.RANDOM_FEEDS);
                allocated = AllocationCounter.totalAllocatedBytes() - before;
                batches++;
            } while (allocated != 0 && System.nanoTime() < deadline);
            System.out.println(file.getParent().getFileName() + ": allocated " + allocated + " bytes in the last batch of " + BATCH + " after " + batches + " batches");
        }
    }

    /** The model at -O2 on the CPU, fed with the harness's seeded random inputs. */
    private static KilnRunner runner(Path file, int threads) {
        Model imported = Kiln.load(file);
        return new KilnRunner(() -> optimized(imported), new CompileOptions("cpu", threads), BenchInputs.random(imported.graph(), 1, 42).feeds());
    }

    private static Model optimized(Model model) {
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference());
        Graph graph = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(new StringWriter())).run(model.graph(), ctx).graph();
        return Kiln.fromGraph(graph, model.source());
    }
}
