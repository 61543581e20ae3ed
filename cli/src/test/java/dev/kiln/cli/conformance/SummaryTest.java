package dev.kiln.cli.conformance;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryTest {
    private static TestResult result(TestResult.Status status) {
        return new TestResult("test_x", "node", status, status == TestResult.Status.PASS ? null : "why", List.of(), 0);
    }

    @Test
    void countsAndFormatsTheLastLine() {
        Summary s = Summary.of(List.of(result(TestResult.Status.PASS), result(TestResult.Status.PASS),
                result(TestResult.Status.FAIL), result(TestResult.Status.SKIP)));
        assertEquals("2 passed, 1 failed, 1 skipped", s.line());
        assertEquals(50.0, s.passRate());
        assertEquals("0 passed, 0 failed, 0 skipped", Summary.of(List.of()).line());
        assertEquals(0.0, Summary.of(List.of()).passRate());
    }

    @Test
    void resultLines() {
        assertEquals("PASS test_x", result(TestResult.Status.PASS).line());
        assertEquals("FAIL test_x: why", result(TestResult.Status.FAIL).line());
        assertEquals("SKIP test_x: why", result(TestResult.Status.SKIP).line());
    }
}
