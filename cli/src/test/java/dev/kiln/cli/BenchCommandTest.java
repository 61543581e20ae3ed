package dev.kiln.cli;

import dev.kiln.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln bench} end to end on the digits example, against ONNX Runtime in the same process. */
class BenchCommandTest {
    private static final Path DIGITS = repoRoot().resolve("examples/digits");
    private static final String MODEL = DIGITS.resolve("digits_cnn.onnx").toString();

    @TempDir
    Path dir;

    @Test
    void profilePrintsEveryNodeOfTheCpuPlanAndTheTotalsPerOpType() {
        Cli r = Cli.run("bench", MODEL, "--device", "cpu", "--threads", "1", "--warmup", "2", "--iterations", "10", "--profile");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.contains("profile: ") && out.contains("mean of 10 timed inferences"), out);
        assertTrue(out.contains("GFLOP/s") && out.contains("per op type:"), out);
        assertTrue(out.contains("kiln:FusedConv") && out.contains("GEMM convolution"), out);
    }

    @Test
    void profileOnADeviceThatCannotTimeItsNodesFailsWithAReason() {
        Cli r = Cli.run("bench", MODEL, "--device", "ref", "--threads", "1", "--warmup", "1", "--iterations", "2", "--profile");
        assertTrue(r.code() != 0, r.toString());
        assertTrue(r.err().contains("--profile runs on --device cpu"), r.err());
    }

    @Test
    void comparesWithOnnxRuntimeAndWritesJsonAndReport() throws IOException {
        Path json = dir.resolve("out.json");
        Path report = dir.resolve("out.html");
        Cli r = Cli.run("bench", MODEL, "--compare", "onnxruntime", "--device", "ref", "--threads", "1", "--warmup", "2",
                "--iterations", "20", "--inputs", DIGITS.resolve("samples.npy").toString(),
                "--labels", DIGITS.resolve("labels.npy").toString(), "--json", json.toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("outputs agree with onnxruntime's"), r.out());
        assertTrue(r.out().contains("p50 ratio"), r.out());
        assertTrue(r.err().contains("energy on ref:"), r.err()); // this machine has no powercap: the estimate is announced

        Map<?, ?> o = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals("digits_cnn.onnx", o.get("model"));
        assertEquals("ref", o.get("device"));
        assertEquals(1L, o.get("threads"));
        assertEquals("fp32", o.get("precision"));
        Map<?, ?> latency = (Map<?, ?>) o.get("latency_us");
        for (String k : List.of("min", "mean", "p50", "p90", "p99", "p999")) assertTrue(((Number) latency.get(k)).doubleValue() > 0, k);
        assertTrue((double) latency.get("min") <= (double) latency.get("p50") && (double) latency.get("p50") <= (double) latency.get("p99"));
        assertEquals(1.0, ((Number) o.get("accuracy")).doubleValue()); // the 16 held-out digits are all classified right
        assertTrue(((Number) o.get("max_deviation")).doubleValue() < 1e-4);
        Map<?, ?> energy = (Map<?, ?>) o.get("energy_per_inference_j");
        assertTrue(((Number) energy.get("value")).doubleValue() > 0);
        assertTrue(List.of("estimate", "rapl").contains(energy.get("source")), String.valueOf(energy.get("source")));
        assertTrue(((Map<?, ?>) o.get("machine")).get("cores") instanceof Long);
        Map<?, ?> baseline = (Map<?, ?>) o.get("baseline");
        assertEquals("onnxruntime", baseline.get("runtime"));
        assertEquals(1.0, ((Number) baseline.get("accuracy")).doubleValue());
        double ratio = ((Number) o.get("ratio_p50")).doubleValue();
        double expected = (double) latency.get("p50") / (double) ((Map<?, ?>) baseline.get("latency_us")).get("p50");
        assertEquals(expected, ratio, 1e-9);
        assertEquals(Boolean.TRUE, o.get("outputs_agree"));

        String html = Files.readString(report);
        assertTrue(html.contains("id=\"pareto-chart\"") && html.contains("id=\"latency-chart\""));
    }

    @Test
    void aSweepMeasuresEveryCombinationAndABudgetFailsTheCommand() throws IOException {
        Path json = dir.resolve("sweep.json");
        Cli r = Cli.run("bench", MODEL, "--sweep", "--device", "ref", "--threads", "1", "--batch", "1,2", "--warmup", "1",
                "--iterations", "5", "--json", json.toString(), "--max-p99", "1ns");
        assertEquals(BenchCommand.BUDGET_EXCEEDED, r.code(), r.toString());
        assertTrue(r.out().contains("ref fp32 1t b1") && r.out().contains("ref fp32 1t b2"), r.out());
        assertTrue(r.err().contains("budget exceeded: digits_cnn.onnx [ref fp32 1t b2]: p99"), r.err());
        List<?> runs = (List<?>) ((Map<?, ?>) Json.parse(Files.readString(json))).get("runs");
        assertEquals(2, runs.size());
        assertEquals(2L, ((Map<?, ?>) runs.get(1)).get("batch"));
    }

    @Test
    void badFlagsAreUsageErrors() {
        Cli lists = Cli.run("bench", MODEL, "--batch", "1,2");
        assertEquals(2, lists.code());
        assertTrue(lists.err().contains("need --sweep"), lists.err());
        Cli precision = Cli.run("bench", MODEL, "--precision", "int4");
        assertEquals(2, precision.code());
        assertTrue(precision.err().contains("precision 'int4' is not available (available: fp32)"), precision.err());
        Cli budget = Cli.run("bench", MODEL, "--max-p99", "soon");
        assertEquals(2, budget.code());
        assertTrue(budget.err().contains("not a duration: 'soon'"), budget.err());
        Cli both = Cli.run("bench", MODEL, "--iterations", "5", "--duration", "2");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --iterations or --duration, not both"), both.err());
        Cli compare = Cli.run("bench", MODEL, "--compare", "tvm");
        assertEquals(2, compare.code());
        Cli labels = Cli.run("bench", MODEL, "--labels", DIGITS.resolve("labels.npy").toString());
        assertEquals(2, labels.code());
        assertTrue(labels.err().contains("--labels needs --inputs"), labels.err());
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples/digits"))) return d;
        }
        throw new IllegalStateException("not inside the Kiln repository");
    }
}
