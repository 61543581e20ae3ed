package dev.kiln.bench.report;

import dev.kiln.bench.BenchRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SweepTableTest {
    @Test
    void oneAlignedLinePerConfigurationWithBaselineColumns() {
        String table = SweepTable.render(SampleRuns.sweep());
        List<String> lines = table.lines().toList();
        assertEquals(2 + 6, lines.size(), table);
        assertEquals("configuration       p50      p99  inferences/s  energy/inference  source    onnxruntime p50  ratio p50",
                lines.get(0));
        assertEquals("cpu fp32 4t b1   800 µs  1.28 ms       1,190.5              9 mJ  rapl               950 µs      0.84×",
                lines.get(3));
        assertEquals("fpga int8 1t b1   15 ms    24 ms          63.5                 —  —                       —          —",
                lines.get(7));
    }

    @Test
    void withoutBaselinesThereAreNoBaselineColumns() {
        String table = SweepTable.render(List.of(BenchRun.alone(SampleRuns.result("kiln", "cpu", "fp32", 2, 4, 750, 0.003, "estimate"))));
        assertEquals("""
                configuration      p50     p99  inferences/s  energy/inference  source
                --------------  ------  ------  ------------  ----------------  --------
                cpu fp32 2t b4  750 µs  1.2 ms       5,079.4              3 mJ  estimate
                """, table);
    }
}
