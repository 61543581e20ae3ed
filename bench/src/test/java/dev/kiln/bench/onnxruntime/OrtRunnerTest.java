package dev.kiln.bench.onnxruntime;

import dev.kiln.bench.BenchInputs;
import dev.kiln.bench.KilnRunner;
import dev.kiln.bench.RepoFiles;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime, run through its Java API on the digits example, agrees with PyTorch's logits and with Kiln. */
class OrtRunnerTest {
    private static final Path MODEL = RepoFiles.digitsModel();

    @Test
    void onnxRuntimeReproducesPyTorchAndKilnOnTheDigitsSamples() {
        Tensor samples = (Tensor) TensorFiles.read(MODEL.resolveSibling("samples.npy"), null);
        Tensor expected = (Tensor) TensorFiles.read(MODEL.resolveSibling("expected_logits.npy"), null);
        BenchInputs inputs = BenchInputs.fromSamples(Kiln.load(MODEL).graph(), samples, null, 16, "samples.npy");
        try (OrtRunner ort = new OrtRunner(MODEL, 1, inputs.feeds());
             KilnRunner kiln = new KilnRunner(() -> Kiln.load(MODEL), new CompileOptions("ref", 1), inputs.feeds())) {
            Tensor ortLogits = ort.outputs(0).get("logits");
            Tensor kilnLogits = kiln.outputs(0).get("logits");
            assertEquals(16 * 10, ortLogits.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.getDouble(i), ortLogits.getDouble(i), 1e-4, "onnxruntime logit " + i);
                assertEquals(ortLogits.getDouble(i), kilnLogits.getDouble(i), 1e-4, "kiln logit " + i);
            }
            assertTrue(ort.compileMillis() > 0);
            ort.infer(0); // the timed call runs and frees its result
        }
    }

    @Test
    void aModelOnnxRuntimeCannotLoadIsOneClearError() throws Exception {
        Path broken = Files.createTempFile("broken", ".onnx");
        Files.write(broken, new byte[] {1, 2, 3});
        KilnException e = assertThrows(KilnException.class, () -> new OrtRunner(broken, 1, java.util.List.of(Map.of())));
        assertTrue(e.getMessage().startsWith(broken + ": onnxruntime cannot load the model"), e.getMessage());
    }
}
