package dev.kiln.models;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example model in examples/digits must classify its held-out samples and reproduce PyTorch's logits. */
class DigitsExampleTest {
    private static final Path DIR = RepoRoot.find().resolve("examples/digits");

    @Test
    void predictsAtLeast15Of16SampleDigits() throws IOException {
        Tensor logits = logitsOnSamples();
        Tensor labels = Npy.read(DIR.resolve("labels.npy"));
        assertEquals(16, labels.size(), "labels.npy");
        int classes = (int) logits.dim(1);
        int correct = 0;
        StringBuilder predicted = new StringBuilder();
        for (int row = 0; row < labels.size(); row++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits.getDouble(row * classes + c) > logits.getDouble(row * classes + best)) best = c;
            }
            predicted.append(best);
            if (best == labels.getLong(row)) correct++;
        }
        assertTrue(correct >= 15, "only " + correct + " of 16 digits right; predicted " + predicted);
    }

    @Test
    void logitsMatchPyTorch() throws IOException {
        System.out.println(Closeness.assertClose("digits_cnn logits",
                Npy.read(DIR.resolve("expected_logits.npy")), logitsOnSamples()));
    }

    private static Tensor logitsOnSamples() throws IOException {
        Tensor samples = Npy.read(DIR.resolve("samples.npy"));
        try (Session session = Kiln.load(DIR.resolve("digits_cnn.onnx"))
                .compile(CompileOptions.defaults().withDevice("ref")).newSession()) {
            Tensor logits = session.run(Map.of("image", samples)).get("logits");
            assertNotNull(logits, "no output named logits");
            assertEquals(2, logits.rank(), "logits rank");
            return logits;
        }
    }
}
