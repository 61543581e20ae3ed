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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The small models of the CPU backend's targets allocate nothing per inference once warm, measured as the harness
 * measures (heap bytes of every thread around a batch of inferences through {@link KilnRunner}). Until C2 has
 * compiled the kernels, interpreted Vector API code boxes its vectors, so the test runs batches until one allocates
 * nothing and fails only if none does within a generous bound.
 */
class ZeroAllocationTest {
    private static final int BATCH = 500;
    private static final long BOUND_NANOS = 120_000_000_000L;

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @CsvSource({"examples/digits/digits_cnn.onnx, 1", "models/mlp/model.onnx, 1", "models/lstm/model.onnx, 1",
            "examples/digits/digits_cnn.onnx, 2", "models/lstm/model.onnx, 2"})
    void aWarmInferenceAllocatesNothing(String model, int threads) {
        Path file = RepoFiles.root().resolve(model);
        Model imported = Kiln.load(file);
        var feeds = BenchInputs.random(imported.graph(), 1, 42).feeds();
        try (KilnRunner runner = new KilnRunner(() -> optimized(imported), new CompileOptions("cpu", threads), feeds)) {
            long deadline = System.nanoTime() + BOUND_NANOS;
            long allocated;
            int batches = 0;
            do {
                long before = AllocationCounter.totalAllocatedBytes();
                for (int i = 0; i < BATCH; i++) runner.infer(i % feeds.size());
                allocated = AllocationCounter.totalAllocatedBytes() - before;
                batches++;
            } while (allocated != 0 && System.nanoTime() < deadline);
            assertEquals(0, allocated, model + ": bytes allocated by the last batch of " + BATCH + " inferences, after " + batches + " batches");
        }
    }

    private static Model optimized(Model model) {
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference());
        Graph graph = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(new StringWriter())).run(model.graph(), ctx).graph();
        return Kiln.fromGraph(graph, model.source());
    }
}
