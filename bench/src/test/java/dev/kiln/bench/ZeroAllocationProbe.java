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
 * Runs one model through {@link KilnRunner} in batches until a batch allocates nothing (or a time bound passes) and
 * prints the last batch's bytes: a JVM of its own per model, as {@code kiln bench} has, since the JIT's inlining of
 * the vector math depends on which models ran before in the same JVM.
 */
public final class ZeroAllocationProbe {
    static final int BATCH = 500;

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        Model imported = Kiln.load(file);
        var feeds = BenchInputs.random(imported.graph(), 1, 42).feeds();
        try (KilnRunner runner = new KilnRunner(() -> optimized(imported), new CompileOptions("cpu", threads), feeds)) {
            long allocated;
            int batches = 0;
            do {
                long before = AllocationCounter.totalAllocatedBytes();
                for (int i = 0; i < BATCH; i++) runner.infer(i % feeds.size());
                allocated = AllocationCounter.totalAllocatedBytes() - before;
                batches++;
            } while (allocated != 0 && System.nanoTime() < deadline);
            System.out.println("allocated " + allocated + " bytes in the last batch of " + BATCH + " after " + batches + " batches");
        }
    }

    private static Model optimized(Model model) {
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference());
        Graph graph = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(new StringWriter())).run(model.graph(), ctx).graph();
        return Kiln.fromGraph(graph, model.source());
    }
}
