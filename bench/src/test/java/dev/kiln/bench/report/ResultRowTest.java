package dev.kiln.bench.report;

import dev.kiln.bench.BenchResult;
import dev.kiln.bench.BenchRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultRowTest {
    @Test
    void eachKilnResultIsFollowedByItsBaseline() {
        List<ResultRow> rows = ResultRow.of(SampleRuns.sweep());
        assertEquals(10, rows.size());
        assertEquals("kiln · ref fp32 1t b1", rows.get(0).name());
        assertEquals("onnxruntime · ref fp32 1t b1", rows.get(1).name());
        assertEquals(true, rows.get(1).isBaseline());
        assertEquals("kiln · fpga int8 1t b1", rows.getLast().name());
    }

    @Test
    void labelsNameTheModelAndLevelOnlyWhenThoseVary() {
        BenchResult a = SampleRuns.result("kiln", "cpu", "fp32", 1, 1, 100, null, null);
        BenchResult b = new BenchResult("kiln", "resnet50", "cpu", 1, 1, "fp32", "O0", a.latency(), 1, 1, 1, 1, 1, 1, 1, 1,
                null, null, null);
        assertEquals(List.of("mobilenet_v2 cpu fp32 1t b1 O2", "resnet50 cpu fp32 1t b1 O0"),
                ResultRow.of(List.of(BenchRun.alone(a), BenchRun.alone(b))).stream().map(ResultRow::label).toList());
    }
}
