package dev.kiln.cli.conformance;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceRunnerTest {
    private static ConformanceTest test(String name) {
        return new ConformanceTest(name, "node", Path.of(name, "model.onnx"), List.of());
    }

    /** Test names say what the fake execution does: pass, oom, overflow, throw, hang. */
    private static TestExecutor.Verdict fake(ConformanceTest test, java.util.function.Consumer<List<String>> ops) {
        ops.accept(List.of("Abs"));
        return switch (test.name()) {
            case "test_oom" -> throw new OutOfMemoryError("Java heap space");
            case "test_overflow" -> throw new StackOverflowError();
            case "test_throw" -> throw new IllegalStateException("kernel bug");
            case "test_hang" -> {
                while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
                yield TestExecutor.Verdict.PASS;
            }
            default -> TestExecutor.Verdict.PASS;
        };
    }

    @Test
    void crashesAndTimeoutsAreFailuresAndTheRunGoesOn() {
        ConformanceRunner runner = new ConformanceRunner(ConformanceRunnerTest::fake,
                new TimeLimit(Duration.ofSeconds(1), Duration.ofSeconds(5)));
        List<String> lines = new ArrayList<>();
        List<TestResult> results = runner.run(List.of(test("test_a"), test("test_oom"), test("test_overflow"),
                test("test_throw"), test("test_hang"), test("test_b")), r -> lines.add(r.line()));
        assertEquals(List.of(
                "PASS test_a",
                "FAIL test_oom: OutOfMemoryError: Java heap space at ConformanceRunnerTest.fake:" + line(lines.get(1)),
                "FAIL test_overflow: StackOverflowError at ConformanceRunnerTest.fake:" + line(lines.get(2)),
                "FAIL test_throw: IllegalStateException: kernel bug at ConformanceRunnerTest.fake:" + line(lines.get(3)),
                "FAIL test_hang: timed out after 1 s",
                "PASS test_b"), lines);
        assertEquals(List.of("Abs"), results.get(4).ops(), "ops are known even for a test that timed out");
        assertTrue(results.get(4).seconds() >= 1.0);
        assertEquals("2 passed, 4 failed, 0 skipped", Summary.of(results).line());
    }

    private static String line(String reportLine) { return reportLine.substring(reportLine.lastIndexOf(':') + 1); }
}
