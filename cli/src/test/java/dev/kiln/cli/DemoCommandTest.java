package dev.kiln.cli;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir
    Path dir;

    /** 16 images whose mean pixel is digit/9, so the test classifier predicts the digit; sample 5 is labelled wrongly. */
    private Path digitsModel() throws IOException {
        Tensor samples = Tensor.zeros(DType.F32, 16, 1, 8, 8);
        long[] labels = new long[16];
        for (int i = 0; i < 16; i++) {
            int digit = i % 10;
            for (int k = 0; k < 64; k++) samples.setDouble(i * 64 + k, digit / 9.0);
            labels[i] = i == 5 ? 7 : digit;
        }
        Npy.write(dir.resolve("samples.npy"), samples);
        Npy.write(dir.resolve("labels.npy"), Tensor.ofLongs(DType.I64, new long[] {16}, labels));
        return TestModels.write(dir.resolve("digits.kilntest"), "digits");
    }

    @Test
    void classifiesTheSamplesAndReportsAccuracyAndLatency() throws IOException {
        Cli r = Cli.run("demo", "--model", digitsModel().toString(), "--runs", "20");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("on device 'cpu': fastest available device"), r.out());
        assertTrue(r.out().contains("     0          0      0  ✓"), r.out());
        assertTrue(r.out().contains("     5          5      7  ✗"), r.out());
        assertTrue(r.out().contains("    15          5      5  ✓"), r.out());
        assertTrue(r.out().contains("accuracy: 15/16 (93.8%)"), r.out());
        assertTrue(r.out().matches("(?s).*latency \\(batch 1\\): first inference \\d+ µs; warm mean \\d+ µs, p50 \\d+ µs over 20 runs.*"), r.out());
        assertTrue(r.out().endsWith("device: cpu\n"), r.out());
    }

    @Test
    void aMissingDefaultModelIsOneLine() {
        String home = System.getProperty("kiln.home");
        System.setProperty("kiln.home", dir.toString());
        try {
            Cli r = Cli.run("demo");
            assertEquals(1, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().contains("examples/digits/digits_cnn.onnx is missing"), r.err());
        } finally {
            if (home == null) System.clearProperty("kiln.home");
            else System.setProperty("kiln.home", home);
        }
    }
}
