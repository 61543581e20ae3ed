package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The latency-vs-energy chart: one circle per configuration and runtime with an energy figure (p50 latency across,
 * energy per inference up), the Pareto frontier (both minimized) as a line through its points, which are ringed and
 * named. Estimated energy is drawn hollow with a dashed outline, measured energy filled.
 */
final class ParetoChart {
    static final String ID = "pareto-chart";
    private static final double WIDTH = 960;
    private static final double HEIGHT = 500;
    private static final PlotArea AREA = new PlotArea(96, 48, WIDTH - 96 - 24, HEIGHT - 48 - 62);

    private ParetoChart() {}

    /** {@code rows} are those with an energy figure; the frontier among them is computed here. */
    static String render(List<ResultRow> rows) {
        Svg svg = new Svg().open("svg", "id", ID, "class", "chart", "xmlns", "http://www.w3.org/2000/svg",
                "viewBox", "0 0 " + Svg.number(WIDTH) + " " + Svg.number(HEIGHT), "role", "img",
                "aria-label", "Latency versus energy per inference, with the Pareto frontier");
        svg.title("p50 latency versus energy per inference; the Pareto frontier minimizes both");
        if (rows.isEmpty()) {
            svg.text("text", "No result has an energy figure, so there is nothing to plot.", "class", "empty",
                    "x", WIDTH / 2, "y", HEIGHT / 2, "text-anchor", "middle");
            return svg.close("svg").toString();
        }
        AxisScale x = AxisScale.forValues(rows.stream().mapToDouble(ParetoChart::latency).min().orElseThrow(),
                rows.stream().mapToDouble(ParetoChart::latency).max().orElseThrow());
        AxisScale y = AxisScale.forValues(rows.stream().mapToDouble(ParetoChart::energy).min().orElseThrow(),
                rows.stream().mapToDouble(ParetoChart::energy).max().orElseThrow());
        Axes.drawX(svg, AREA, x, v -> Units.micros(v, x.tickDigits()), "p50 latency per run");
        Axes.drawY(svg, AREA, y, v -> Units.si(v, "J", y.tickDigits()), "energy per inference");

        List<ResultRow> frontier = ParetoFrontier.of(rows, ParetoChart::latency, ParetoChart::energy);
        List<double[]> line = new ArrayList<>();
        for (ResultRow row : frontier) line.add(new double[] {AREA.x(x, latency(row)), AREA.y(y, energy(row))});
        svg.empty("polyline", "class", "frontier", "points", Svg.points(line));
        // Labels go under the points so a label never hides a point it passes over.
        for (ResultRow row : frontier) label(svg, row, x, y);
        for (ResultRow row : rows) {
            if (!frontier.contains(row)) point(svg, row, x, y, false);
        }
        for (ResultRow row : frontier) point(svg, row, x, y, true);
        legend(svg, rows);
        return svg.close("svg").toString();
    }

    private static double latency(ResultRow row) { return row.result().latency().p50Us(); }

    private static double energy(ResultRow row) { return row.result().energy().joulesPerInference(); }

    private static void point(Svg svg, ResultRow row, AxisScale x, AxisScale y, boolean onFrontier) {
        String kind = row.result().energy().isEstimate() ? "estimate" : "measured";
        String tooltip = row.name() + ": p50 " + Units.micros(latency(row), 3) + ", " + Units.si(energy(row), "J")
                + " per inference (" + row.result().energy().source() + ")" + (onFrontier ? ", on the Pareto frontier" : "");
        double cx = AREA.x(x, latency(row));
        double cy = AREA.y(y, energy(row));
        if (onFrontier) svg.empty("circle", "class", "halo", "cx", cx, "cy", cy, "r", 10.5);
        svg.open("circle", "class", "point " + kind + " " + ChartText.runtimeClass(row) + (onFrontier ? " on-frontier" : ""),
                "cx", cx, "cy", cy, "r", 6.0);
        svg.title(tooltip).close("circle");
    }

    /** Names a frontier point beside it, on whichever side has room. */
    private static void label(Svg svg, ResultRow row, AxisScale x, AxisScale y) {
        double px = AREA.x(x, latency(row));
        boolean leftward = px + 14 + row.name().length() * ChartText.CHAR_WIDTH > AREA.right();
        svg.text("text", row.name(), "class", "point-label", "x", leftward ? px - 12 : px + 12, "y", AREA.y(y, energy(row)) - 8,
                "text-anchor", leftward ? "end" : "start");
    }

    private record LegendEntry(String runtimeClass, String runtime, boolean estimate) {}

    /** A key entry per runtime and kind of energy figure present, then the frontier. */
    private static void legend(Svg svg, List<ResultRow> rows) {
        Set<LegendEntry> entries = new LinkedHashSet<>();
        for (ResultRow row : rows) {
            entries.add(new LegendEntry(ChartText.runtimeClass(row), row.result().runtime(), row.result().energy().isEstimate()));
        }
        double x = AREA.left();
        for (LegendEntry entry : entries) {
            String text = entry.runtime() + (entry.estimate() ? ", energy estimated" : ", energy measured");
            svg.open("g", "class", "legend " + entry.runtimeClass());
            svg.empty("circle", "class", "key " + (entry.estimate() ? "estimate" : "measured"), "cx", x + 6, "cy", 20.0, "r", 5.5);
            svg.text("text", text, "x", x + 16, "y", 24);
            svg.close("g");
            x += 36 + text.length() * ChartText.CHAR_WIDTH;
        }
        svg.empty("line", "class", "frontier", "x1", x, "y1", 20.0, "x2", x + 22, "y2", 20.0);
        svg.text("text", "Pareto frontier (ringed points)", "class", "legend", "x", x + 28, "y", 24);
    }
}
