package dev.kiln.bench.report;

import dev.kiln.bench.BenchResult;
import dev.kiln.bench.BenchRun;

import java.util.ArrayList;
import java.util.List;

/**
 * One runtime's result in one configuration, as the report's tables and charts list them: each run's Kiln result,
 * followed by its ONNX Runtime baseline when it has one.
 *
 * @param label the configuration, unique within a report: {@link BenchResult#configLabel()}, with the model and the
 *              optimization level in front when those differ between runs
 */
public record ResultRow(BenchRun run, BenchResult result, boolean isBaseline, String label) {

    public static List<ResultRow> of(List<BenchRun> runs) {
        boolean manyModels = runs.stream().map(r -> r.kiln().model()).distinct().count() > 1;
        boolean manyLevels = runs.stream().map(r -> r.kiln().optLevel()).distinct().count() > 1;
        List<ResultRow> rows = new ArrayList<>();
        for (BenchRun run : runs) {
            String label = (manyModels ? run.kiln().model() + " " : "") + run.kiln().configLabel()
                    + (manyLevels ? " " + run.kiln().optLevel() : "");
            rows.add(new ResultRow(run, run.kiln(), false, label));
            if (run.hasBaseline()) rows.add(new ResultRow(run, run.baseline(), true, label));
        }
        return rows;
    }

    /** The runtime and configuration: {@code kiln · cpu fp32 4t b1}. */
    public String name() { return result.runtime() + " · " + label; }
}
