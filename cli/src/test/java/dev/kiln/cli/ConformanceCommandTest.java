package dev.kiln.cli;

import dev.kiln.cli.conformance.ResultsJson;
import dev.kiln.cli.conformance.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance command end to end on light-layout tests (inputs generated, so no .pb input files are needed)
 * whose models are {@link TestModels}: one spins until interrupted, one runs out of memory, one uses an op no
 * device implements.
 */
class ConformanceCommandTest {
    @TempDir
    Path dir;

    private Path lightTests(String... models) throws IOException {
        Path light = Files.createDirectories(dir.resolve("light"));
        for (String model : models) {
            TestModels.write(light.resolve("light_" + model + ".onnx"), model);
            Files.write(light.resolve("light_" + model + "_output_0.pb"), new byte[0]);
        }
        return light;
    }

    @Test
    void aHangingTestTimesOutAndACrashingOneFailsWithoutStoppingTheRun() throws IOException {
        Path light = lightTests("spin", "exhaust", "unsupported");
        Path json = dir.resolve("results/light.json");
        // -O0: these fixtures' test-only ops have kernels but no schemas, so the verifier the passes run would reject them.
        Cli r = Cli.run("conformance", light.toString(), "-O0", "--timeout", "2.5", "--json", json.toString());
        assertEquals(0, r.code(), "failing tests are results, not errors\n" + r);
        assertEquals(List.of(
                "FAIL light_exhaust: OutOfMemoryError: Java heap space at TestKernels.exhaust:" + lineOf(r.outLines().get(0)),
                "FAIL light_spin: timed out after 2.5 s",
                "SKIP light_unsupported: device 'cpu' does not support node 'n' (test.kiln:NoSuchOp): no reference kernel for test.kiln:NoSuchOp",
                "0 passed, 2 failed, 1 skipped"), r.outLines());
        List<TestResult> results = ResultsJson.read(json);
        assertEquals(3, results.size());
        assertEquals("light", results.get(1).suite());
        assertEquals(List.of("test.kiln:Scale", "test.kiln:Spin"), results.get(1).ops());
    }

    @Test
    void theFilterSelectsTestsAndTheMinimumPassRateSetsTheExitCode() throws IOException {
        Path light = lightTests("spin", "unsupported");
        Cli r = Cli.run("conformance", light.toString(), "--filter", "unsupp", "--min-pass-rate", "90");
        assertEquals(1, r.code(), r.toString());
        assertEquals(2, r.outLines().size(), r.toString());
        assertEquals("0 passed, 0 failed, 1 skipped", r.outLines().getLast());
        assertEquals(List.of("kiln conformance: pass rate 0.00% is below the required 90%"), r.errLines());
    }

    @Test
    void noMatchingTestsIsAnEmptyRun() throws IOException {
        Cli r = Cli.run("conformance", lightTests("spin").toString(), "--filter", "^nothing$");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("0 passed, 0 failed, 0 skipped"), r.outLines());
        assertEquals(List.of("kiln conformance: no tests found matching '^nothing$'"), r.errLines());
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() throws IOException {
        Cli missing = Cli.run("conformance", dir.resolve("nope").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertEquals(1, missing.errLines().size(), missing.toString());
        assertTrue(missing.err().contains("nope: no such directory"), missing.err());

        Cli regex = Cli.run("conformance", dir.toString(), "--filter", "(");
        assertEquals(2, regex.code(), regex.toString());
        assertTrue(regex.err().startsWith("kiln conformance: --filter is not a valid regular expression"), regex.err());

        Cli device = Cli.run("conformance", dir.toString(), "--device", "gpu9");
        assertEquals(2, device.code(), device.toString());
        assertEquals(List.of("kiln conformance: unknown device 'gpu9' (known: cpu, opencl, ref) (see 'kiln conformance --help')"), device.errLines());
    }

    private static String lineOf(String reportLine) { return reportLine.substring(reportLine.lastIndexOf(':') + 1); }
}
