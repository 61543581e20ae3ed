package dev.kiln.bench.report;

import dev.kiln.bench.BenchResult;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.bench.report.HtmlTable.Cell;
import dev.kiln.bench.report.HtmlTable.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report's tables of figures, one row per configuration and runtime, split in three (latency; start-up and
 * memory; energy and accuracy) so each fits a printed page's width. Columns nobody measured are left out.
 */
final class ResultTables {
    private ResultTables() {}

    static String render(List<ResultRow> rows) {
        return HtmlTable.render("Latency (µs per run of one batch) and throughput", latencyColumns(rows), rows)
                + HtmlTable.render("Start-up and memory", memoryColumns(), rows)
                + HtmlTable.render("Energy and accuracy", energyColumns(rows), rows);
    }

    private static List<Column> latencyColumns(List<ResultRow> rows) {
        List<Column> columns = new ArrayList<>(identity());
        columns.add(micros("min", r -> r.latency().minUs()));
        columns.add(micros("mean", r -> r.latency().meanUs()));
        columns.add(micros("p50", r -> r.latency().p50Us()));
        columns.add(micros("p90", r -> r.latency().p90Us()));
        columns.add(micros("p99", r -> r.latency().p99Us()));
        columns.add(micros("p99.9", r -> r.latency().p999Us()));
        columns.add(Column.number("inferences/s", row -> Units.fixed(row.result().throughputPerSecond(), 1)));
        if (rows.stream().anyMatch(row -> row.run().hasBaseline())) {
            columns.add(new Column("p50 ratio", true, row -> ratio(row, row.run().hasBaseline() ? row.run().ratioP50() : Double.NaN)));
            columns.add(new Column("p99 ratio", true, row -> ratio(row, row.run().hasBaseline() ? row.run().ratioP99() : Double.NaN)));
            columns.add(new Column("outputs", false, ResultTables::outputs));
        }
        return columns;
    }

    private static List<Column> memoryColumns() {
        List<Column> columns = new ArrayList<>(identity());
        columns.add(Column.text("opt", row -> row.result().optLevel()));
        columns.add(Column.number("compile (ms)", row -> Units.fixed(row.result().compileMillis(), 1)));
        columns.add(micros("first inference (µs)", BenchResult::firstInferenceMicros));
        columns.add(Column.number("alloc/inference", row -> Units.bytes(row.result().allocBytesPerInference())));
        columns.add(Column.number("arena", row -> Units.bytes(row.result().arenaBytes())));
        columns.add(Column.number("peak RSS", row -> Units.bytes(row.result().peakRssBytes())));
        columns.add(Column.number("model", row -> Units.bytes(row.result().modelBytes())));
        columns.add(Column.number("artifact", row -> Units.bytes(row.result().artifactBytes())));
        return columns;
    }

    private static List<Column> energyColumns(List<ResultRow> rows) {
        List<Column> columns = new ArrayList<>(identity());
        columns.add(energy("energy/inference", e -> Units.si(e.joulesPerInference(), "J")));
        columns.add(new Column("source", false, row -> row.result().energy() == null ? Cell.of(Units.MISSING)
                : new Cell(row.result().energy().source(), row.result().energy().isEstimate() ? "estimate" : null)));
        columns.add(energy("average power", e -> Units.si(e.averageWatts(), "W")));
        columns.add(energy("energy × delay", e -> Units.si(e.energyDelayProduct(), "J·s")));
        if (rows.stream().anyMatch(row -> row.result().accuracy() != null)) {
            columns.add(Column.number("accuracy", row -> Units.percent(row.result().accuracy())));
        }
        if (rows.stream().anyMatch(row -> row.result().maxDeviation() != null)) {
            columns.add(Column.number("max deviation", row -> Units.scientific(row.result().maxDeviation())));
        }
        return columns;
    }

    private static List<Column> identity() {
        return List.of(Column.text("configuration", ResultRow::label), Column.text("runtime", row -> row.result().runtime()));
    }

    private static Column micros(String header, ToDoubleFunction<BenchResult> micros) {
        return Column.number(header, row -> Units.fixed(micros.applyAsDouble(row.result()), 1));
    }

    private static Column energy(String header, Function<EnergyFigure, String> format) {
        return Column.number(header, row -> row.result().energy() == null ? Units.MISSING : format.apply(row.result().energy()));
    }

    /** Kiln ÷ ONNX Runtime on the Kiln row; the baseline's own row leaves it empty. */
    private static Cell ratio(ResultRow row, double ratio) {
        if (row.isBaseline() || Double.isNaN(ratio)) return Cell.of("");
        return new Cell(Units.ratio(ratio), ratio < 1 ? "better" : ratio > 1 ? "worse" : null);
    }

    private static Cell outputs(ResultRow row) {
        BenchRun run = row.run();
        if (row.isBaseline() || !run.hasBaseline()) return Cell.of("");
        String difference = Double.isNaN(run.outputsMaxDifference()) ? "" : " (max diff " + Units.scientific(run.outputsMaxDifference()) + ")";
        return run.outputsAgree() ? Cell.of("agree" + difference) : new Cell("DIFFER" + difference, "worse");
    }
}
