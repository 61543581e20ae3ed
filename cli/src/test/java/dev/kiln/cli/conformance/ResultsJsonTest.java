package dev.kiln.cli.conformance;

import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsJsonTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackEveryField() throws IOException {
        List<TestResult> results = List.of(
                new TestResult("test_abs", "node", TestResult.Status.PASS, null, List.of("Abs"), 0.25,
                        Map.of("Abs", TestResult.OWN, "Cast", TestResult.GENERIC, "kiln:FusedConv", TestResult.MIXED)),
                new TestResult("test_if", "node", TestResult.Status.FAIL, "output 'y' at [0]: got \"a\"\nexpected", List.of("If", "Add"), 1.5),
                new TestResult("test_stft", "node", TestResult.Status.SKIP, "no kernel for STFT", List.of(), 0));
        Path file = dir.resolve("out/results.json");
        ResultsJson.write(file, results, "ref", "0.1.0");
        String text = Files.readString(file);
        assertTrue(text.contains("\"summary\": {"), text);
        assertEquals(results, ResultsJson.read(file));
        assertEquals("ref", ResultsJson.device(file));
    }

    @Test
    void anUnknownKernelKindIsOneLineError() throws IOException {
        Path file = Files.writeString(dir.resolve("k.json"), "{\"tests\": [{\"name\": \"t\", \"status\": \"PASS\", "
                + "\"kernels\": {\"Abs\": \"fast\"}}]}");
        KilnException e = assertThrows(KilnException.class, () -> ResultsJson.read(file));
        assertTrue(e.getMessage().contains("\"kernels\" of Abs must be own, generic or mixed"), e.getMessage());
    }

    @Test
    void aFileOfOtherJsonIsOneLineError() throws IOException {
        Path file = Files.writeString(dir.resolve("x.json"), "{\"a\": 1}");
        KilnException e = assertThrows(KilnException.class, () -> ResultsJson.read(file));
        assertTrue(e.getMessage().endsWith("not a conformance results file (no \"tests\" list)"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("y.json"), "{\"tests\": [");
        assertTrue(assertThrows(KilnException.class, () -> ResultsJson.read(broken)).getMessage().contains("not JSON"));
    }
}
