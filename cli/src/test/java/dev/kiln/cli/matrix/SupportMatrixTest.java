package dev.kiln.cli.matrix;

import dev.kiln.cli.conformance.TestResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupportMatrixTest {
    private static TestResult result(String name, String suite, TestResult.Status status, String reason) {
        return new TestResult(name, suite, status, reason, List.of(), 0.1);
    }

    private final List<String> ops = List.of("Abs", "Add", "ai.onnx.ml:Binarizer");
    private final TestOpGrouping grouping = new TestOpGrouping(ops);

    private SupportMatrix matrix() {
        return SupportMatrix.build(ops, op -> op.equals("Abs") || op.equals("Add") ? null : "not implemented", grouping, List.of(
                result("test_abs", "node", TestResult.Status.PASS, null),
                result("test_add", "node", TestResult.Status.FAIL, "output 'sum' at [0]: got 1 | 2"),
                result("test_add_bcast", "node", TestResult.Status.FAIL, "second"),
                result("test_add", "node", TestResult.Status.PASS, null),
                result("test_ai_onnx_ml_binarizer", "node", TestResult.Status.SKIP, "no kernel"),
                result("test_AvgPool1d", "pytorch-converted", TestResult.Status.PASS, null)));
    }

    @Test
    void groupsResultsByOperatorAndFolder() {
        SupportMatrix m = matrix();
        SupportMatrix.Row abs = m.rows().get(0);
        SupportMatrix.Row add = m.rows().get(1);
        SupportMatrix.Row binarizer = m.rows().get(2);
        assertEquals(new SupportMatrix.Row("Abs", null, 1, 0, 0, null, null), abs);
        assertEquals(1, add.passed(), "a test named twice counts once, the later result winning");
        assertEquals(1, add.failed());
        assertEquals("test_add_bcast: second", add.firstFailure());
        assertEquals("not implemented", binarizer.missing());
        assertEquals(1, binarizer.skipped());
        assertEquals("2 passed, 1 failed, 1 skipped", m.bySuite().get("node").line());
        assertEquals(1, m.ungroupedBySuite().get("pytorch-converted"));
        assertNull(m.ungroupedBySuite().get("node"));
        assertEquals(2, m.implementedCount());
    }

    @Test
    void rendersEveryOperatorWithNotes() {
        String md = MatrixMarkdown.render(matrix(), List.of("node.json"));
        assertTrue(md.contains("Operators implemented: **2 of 3**."), md);
        assertTrue(md.contains("| Abs | yes | 1 | 0 | 0 |  |"), md);
        assertTrue(md.contains("| Add | yes | 1 | 1 | 0 | first failure: test_add_bcast: second |"), md);
        assertTrue(md.contains("## ai.onnx.ml\n"), md);
        assertTrue(md.contains("| Binarizer | no | 0 | 0 | 1 | not implemented |"), md);
        assertTrue(md.contains("| node | 2 | 1 | 1 | 50.0% |"), md);
        assertTrue(md.contains("whole-model tests), counted in the folder totals only: 1 (pytorch-converted: 1)"), md);
    }

    @Test
    void cellsStayOnOneLineWithoutPipes() {
        assertEquals("a \\| b c", MatrixMarkdown.cell("a | b\nc"));
        assertEquals(160, MatrixMarkdown.cell("x".repeat(500)).length());
    }

    @Test
    void aKernelColumnSaysHowTheDeviceRanEachOperator() {
        List<TestResult> cpu = List.of(
                new TestResult("test_abs", "node", TestResult.Status.PASS, null, List.of("Abs"), 0.1, Map.of("Abs", TestResult.OWN)),
                new TestResult("test_add", "node", TestResult.Status.PASS, null, List.of("Add"), 0.1, Map.of("Add", TestResult.OWN)),
                new TestResult("test_add_int", "node", TestResult.Status.PASS, null, List.of("Add"), 0.1, Map.of("Add", TestResult.GENERIC)),
                new TestResult("test_conv", "node", TestResult.Status.PASS, null, List.of("Conv"), 0.1, Map.of("kiln:FusedConv", TestResult.MIXED)));
        KernelCoverage coverage = KernelCoverage.of("cpu", cpu);
        assertEquals("own", coverage.cell("Abs"));
        assertEquals("own in 1 of 2 tests", coverage.cell("Add"));
        assertEquals("—", coverage.cell("ai.onnx.ml:Binarizer"));
        String md = MatrixMarkdown.render(matrix(), List.of("node.json", "cpu.json"), coverage);
        assertTrue(md.contains("| Operator | Reference | cpu kernel | Passed | Failed | Skipped | Notes |\n|---|:---:|:---:|---:|"), md);
        assertTrue(md.contains("| Abs | yes | own | 1 | 0 | 0 |  |"), md);
        assertTrue(md.contains("| Add | yes | own in 1 of 2 tests | 1 | 1 | 0 |"), md);
        assertTrue(md.contains("| Binarizer | no | — | 0 | 0 | 1 |"), md);
        assertTrue(md.contains("## Ops the passes make, on cpu\n\n| Op | cpu kernel |\n|---|:---:|\n| kiln:FusedConv | own in 0 of 1 tests |"), md);
    }
}
