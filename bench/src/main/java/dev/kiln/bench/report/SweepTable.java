package dev.kiln.bench.report;

import dev.kiln.bench.BenchResult;
import dev.kiln.bench.BenchRun;

import java.util.ArrayList;
import java.util.List;

/**
 * The console summary of a sweep: one line per configuration with Kiln's p50 and p99, throughput and energy, and
 * ONNX Runtime's p50 with the Kiln ÷ ONNX Runtime ratio when any run was compared.
 */
public final class SweepTable {
    private SweepTable() {}

    public static String render(List<BenchRun> runs) {
        boolean compared = runs.stream().anyMatch(BenchRun::hasBaseline);
        String baselineName = runs.stream().filter(BenchRun::hasBaseline).map(run -> run.baseline().runtime()).findFirst().orElse("");
        TextTable table = new TextTable().column("configuration", false).column("p50", true).column("p99", true)
                .column("inferences/s", true).column("energy/inference", true).column("source", false);
        if (compared) table.column(baselineName + " p50", true).column("ratio p50", true);
        List<ResultRow> rows = ResultRow.of(runs).stream().filter(row -> !row.isBaseline()).toList();
        for (ResultRow row : rows) {
            BenchResult kiln = row.result();
            List<String> cells = new ArrayList<>(List.of(row.label(), Units.micros(kiln.latency().p50Us(), 3),
                    Units.micros(kiln.latency().p99Us(), 3), Units.fixed(kiln.throughputPerSecond(), 1),
                    kiln.energy() == null ? Units.MISSING : Units.si(kiln.energy().joulesPerInference(), "J"),
                    kiln.energy() == null ? Units.MISSING : kiln.energy().source()));
            if (compared) {
                BenchRun run = row.run();
                cells.add(run.hasBaseline() ? Units.micros(run.baseline().latency().p50Us(), 3) : Units.MISSING);
                cells.add(run.hasBaseline() ? Units.ratio(run.ratioP50()) : Units.MISSING);
            }
            table.row(cells);
        }
        return table.render();
    }
}
