package dev.kiln.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small models of the CPU backend's targets allocate nothing per inference once warm (the transformer's Reshape
 * targets come from Shape chains over a symbolic batch, and the U-Net's skip connections are channel Concats, as in
 * SqueezeNet's fire modules), measured as the harness
 * measures (heap bytes of every thread around a batch of inferences through {@link KilnRunner}), each model in a
 * JVM of its own as under {@code kiln bench} (see {@link ZeroAllocationProbe}), and several models in one JVM as a
 * host program runs them. Until C2 has compiled the kernels, interpreted Vector API code boxes its vectors, so the
 * probe runs batches until one allocates nothing and the test fails only if none does within a generous bound.
 */
class ZeroAllocationTest {
    private static final long BOUND_SECONDS = 120;

    @ParameterizedTest(name = "{0} on {1} thread(s)")
    @CsvSource({"examples/digits/digits_cnn.onnx, 1", "models/mlp/model.onnx, 1", "models/lstm/model.onnx, 1",
            "models/transformer/model.onnx, 1", "models/unet/model.onnx, 1", "models/gru/model.onnx, 1",
            "examples/digits/digits_cnn.onnx, 2", "models/lstm/model.onnx, 2"})
    void aWarmInferenceAllocatesNothing(String model, int threads) throws IOException, InterruptedException {
        String out = probe(threads, model);
        assertTrue(out.contains("allocated 0 bytes"), model + " on " + threads + " thread(s): " + out);
    }

    /**
     * A host running several models: the transformer first (its attention sends 256-bit vectors through the vector
     * math the LSTM also uses), then the LSTM in the same JVM. Each model has its own copy of the backend's classes,
     * so the LSTM still reaches zero; with shared classes it allocated 338 KB per inference here. (The digits CNN and
     * the MLP reached zero after the transformer too, but not in every run: the MLP's GEMM epilogue calls two
     * activations through one call site, so whether C2 inlines them depends on compile timing, in a JVM of their own
     * as well.)
     */
    @Test
    void modelsThatRanBeforeInTheSameJvmDoNotMakeTheNextOneAllocate() throws IOException, InterruptedException {
        String out = probe(1, "models/lstm/model.onnx", "models/transformer/model.onnx");
        assertTrue(out.contains("lstm: allocated 0 bytes"), out);
    }

    private static String probe(int threads, String models, String... runFirst) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String files = String.join(",", Arrays.stream(models.split(",")).map(m -> RepoFiles.root().resolve(m).toString()).toList());
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ZeroAllocationProbe.class.getName(), files, Integer.toString(threads),
                Long.toString(BOUND_SECONDS)));
        for (String first : runFirst) command.add(RepoFiles.root().resolve(first).toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        int count = models.split(",").length + runFirst.length;
        assertTrue(p.waitFor((BOUND_SECONDS + 120) * count, TimeUnit.SECONDS), models + ": the probe did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
