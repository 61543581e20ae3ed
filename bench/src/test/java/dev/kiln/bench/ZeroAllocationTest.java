package dev.kiln.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small models of the CPU backend's targets allocate nothing per inference once warm, measured as the harness
 * measures (heap bytes of every thread around a batch of inferences through {@link KilnRunner}), each model in a
 * JVM of its own as under {@code kiln bench} (see {@link ZeroAllocationProbe}). Until C2 has compiled the kernels,
 * interpreted Vector API code boxes its vectors, so the probe runs batches until one allocates nothing and the test
 * fails only if none does within a generous bound.
 */
class ZeroAllocationTest {
    private static final long BOUND_SECONDS = 120;

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @CsvSource({"examples/digits/digits_cnn.onnx, 1", "models/mlp/model.onnx, 1", "models/lstm/model.onnx, 1",
            "examples/digits/digits_cnn.onnx, 2", "models/lstm/model.onnx, 2"})
    void aWarmInferenceAllocatesNothing(String model, int threads) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ZeroAllocationProbe.class.getName(),
                RepoFiles.root().resolve(model).toString(), Integer.toString(threads), Long.toString(BOUND_SECONDS)))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(BOUND_SECONDS + 120, TimeUnit.SECONDS), model + ": the probe did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("allocated 0 bytes"), model + " on " + threads + " thread(s): " + out);
    }
}
