package dev.kiln.bench.report;

import dev.kiln.bench.BenchRun;
import dev.kiln.bench.MachineInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The benchmark report: one self-contained HTML page (inline CSS and SVG, no script, no external assets) with the
 * latency-percentiles chart, the latency-vs-energy Pareto chart, every figure in tables, and the machine. The page
 * is also well-formed XML, so tools (and the tests) can parse it as such.
 */
public final class HtmlReport {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String STYLE = loadStyle();

    private HtmlReport() {}

    /** The page for {@code runs} (at least one), measured on {@code machine} at {@code measuredAt}. */
    public static String render(String title, List<BenchRun> runs, MachineInfo machine, Instant measuredAt) {
        if (runs.isEmpty()) throw new IllegalArgumentException("a report needs at least one benchmark run");
        List<ResultRow> rows = ResultRow.of(runs);
        List<ResultRow> withEnergy = rows.stream().filter(HtmlReport::hasEnergy).toList();
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(page, title, runs, machine, measuredAt);

        page.append("<section id=\"latency\">\n<h2>Latency percentiles</h2>\n<p class=\"note\">Each row runs from p50 to p99.9; ")
                .append("hover a marker for its value. Lower is better.</p>\n")
                .append(LatencyChart.render(rows)).append("\n</section>\n");

        page.append("<section id=\"pareto\">\n<h2>Latency vs energy</h2>\n<p class=\"note\">One point per configuration and runtime. ")
                .append("The Pareto frontier joins the points that no other point beats on both latency and energy per inference.")
                .append(" Hollow points have estimated energy (a model of the compiled graph's operation and memory-traffic counts), ")
                .append("filled points measured energy.</p>\n");
        List<ResultRow> withoutEnergy = rows.stream().filter(row -> !hasEnergy(row)).toList();
        if (!withoutEnergy.isEmpty()) {
            page.append("<p class=\"note missing\">Not plotted, no energy figure: ")
                    .append(Html.escape(withoutEnergy.stream().map(ResultRow::name).collect(Collectors.joining("; ")))).append(".</p>\n");
        }
        page.append(ParetoChart.render(withEnergy)).append("\n</section>\n");

        page.append("<section id=\"results\">\n<h2>All figures</h2>\n").append(ResultTables.render(rows)).append("</section>\n");
        machineSection(page, machine, measuredAt);
        page.append("</main>\n</body>\n</html>\n");
        return page.toString();
    }

    /** Whether {@code row} can be plotted against energy: a meter that failed mid-run may leave NaN. */
    private static boolean hasEnergy(ResultRow row) {
        return row.result().energy() != null && Double.isFinite(row.result().energy().joulesPerInference());
    }

    private static void header(StringBuilder page, String title, List<BenchRun> runs, MachineInfo machine, Instant measuredAt) {
        String models = runs.stream().map(run -> run.kiln().model()).distinct().collect(Collectors.joining(", "));
        long baselines = runs.stream().filter(BenchRun::hasBaseline).count();
        page.append("<header>\n<h1>").append(Html.escape(title)).append("</h1>\n<dl class=\"summary\">\n");
        term(page, models.contains(", ") ? "Models" : "Model", models);
        term(page, "Measured", DATE.format(measuredAt));
        term(page, "Machine", machine.cpuModel() + ", " + machine.cores() + " cores, " + Units.bytes(machine.memoryBytes()));
        term(page, "Configurations", runs.size() + (baselines == 0 ? ", Kiln only"
                : baselines == runs.size() ? ", each compared with " + runs.getFirst().baseline().runtime() + " in alternating rounds"
                : ", " + baselines + " compared with a baseline in alternating rounds"));
        page.append("</dl>\n</header>\n");
    }

    private static void machineSection(StringBuilder page, MachineInfo machine, Instant measuredAt) {
        page.append("<section id=\"machine\">\n<h2>Machine</h2>\n<dl class=\"machine\">\n");
        term(page, "CPU", machine.cpuModel());
        term(page, "Cores", Integer.toString(machine.cores()));
        term(page, "Memory", Units.bytes(machine.memoryBytes()));
        term(page, "Operating system", machine.os());
        term(page, "JDK", machine.jdk());
        term(page, "Measured at", measuredAt.toString());
        page.append("</dl>\n</section>\n");
    }

    private static void term(StringBuilder page, String name, String value) {
        page.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value)).append("</dd>\n");
    }

    private static String loadStyle() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            if (in == null) throw new IllegalStateException("report.css is missing from the kiln-bench jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report.css from the kiln-bench jar", e);
        }
    }
}
