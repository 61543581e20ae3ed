package dev.kiln.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln estimate}: the digits CNN on FPGA parts, and the one-line errors for a bad target. */
class EstimateCommandTest {
    private static final String DIGITS = CompileCommandTest.ROOT.resolve("examples/digits/digits_cnn.onnx").toString();

    @Test
    void printsTheEstimateTableAndWritesJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("estimate.json");
        Cli r = Cli.run("estimate", DIGITS, "--target", "fpga:arria10-gx1150", "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("estimates, not measurements") && r.out().contains("total (estimate)"), r.toString());
        assertTrue(Files.readString(json).contains("\"totalEstimate\""));
        Cli latency = Cli.run("estimate", DIGITS, "--target", "fpga:zu9eg", "--objective", "latency");
        assertEquals(0, latency.code(), latency.toString());
        assertTrue(latency.out().contains("for latency"), latency.toString());
    }

    @Test
    void badTargetsAreOneLineErrors() {
        Cli unknown = Cli.run("estimate", DIGITS, "--target", "fpga:virtex2");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("unknown FPGA part 'virtex2'") && unknown.err().contains("arria10-gx1150"), unknown.toString());
        Cli notFpga = Cli.run("estimate", DIGITS, "--target", "cuda");
        assertTrue(notFpga.err().contains("not an FPGA part"), notFpga.toString());
    }
}
