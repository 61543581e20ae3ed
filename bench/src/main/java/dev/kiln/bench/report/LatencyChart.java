package dev.kiln.bench.report;

import dev.kiln.bench.LatencyStats;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The latency-percentiles chart: a dot plot with one row per configuration and runtime, a line from p50 to p99.9
 * and a marker at each of p50, p90, p99 and p99.9 (each its own shape, so it reads in grey print too); log scale
 * when the latencies span more than a factor of {@link AxisScale#LOG_THRESHOLD}.
 */
final class LatencyChart {
    static final String ID = "latency-chart";
    private static final double WIDTH = 960;
    private static final double ROW_HEIGHT = 28;
    private static final double TOP = 44;
    private static final double BOTTOM = 58;
    private static final double VALUE_COLUMN = 92;

    private record Percentile(String name, MarkerShape shape, ToDoubleFunction<LatencyStats> value) {}

    private static final List<Percentile> PERCENTILES = List.of(
            new Percentile("p50", MarkerShape.CIRCLE, LatencyStats::p50Us),
            new Percentile("p90", MarkerShape.SQUARE, LatencyStats::p90Us),
            new Percentile("p99", MarkerShape.DIAMOND, LatencyStats::p99Us),
            new Percentile("p99.9", MarkerShape.TRIANGLE, LatencyStats::p999Us));

    private LatencyChart() {}

    static String render(List<ResultRow> rows) {
        double labelWidth = ChartText.widthOfLongest(rows.stream().map(ResultRow::name).toList(), 120, 340) + 16;
        PlotArea area = new PlotArea(labelWidth, TOP, WIDTH - labelWidth - VALUE_COLUMN, rows.size() * ROW_HEIGHT);
        double height = TOP + area.height() + BOTTOM;
        Svg svg = new Svg().open("svg", "id", ID, "class", "chart", "xmlns", "http://www.w3.org/2000/svg",
                "viewBox", "0 0 " + Svg.number(WIDTH) + " " + Svg.number(height), "role", "img",
                "aria-label", "Latency percentiles per configuration and runtime");
        svg.title("Latency percentiles (p50, p90, p99, p99.9) per configuration and runtime");
        legend(svg, area, rows);
        AxisScale scale = AxisScale.forValues(
                rows.stream().mapToDouble(r -> r.result().latency().p50Us()).min().orElseThrow(),
                rows.stream().mapToDouble(r -> r.result().latency().p999Us()).max().orElseThrow());
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).isBaseline()) {
                svg.empty("rect", "class", "band", "x", 0.0, "y", area.top() + i * ROW_HEIGHT, "width", WIDTH, "height", ROW_HEIGHT);
            }
        }
        Axes.drawX(svg, area, scale, v -> Units.micros(v, scale.tickDigits()), "latency per run");
        svg.text("text", "p50", "class", "value-head", "x", area.right() + VALUE_COLUMN - 4, "y", area.top() - 8, "text-anchor", "end");
        for (int i = 0; i < rows.size(); i++) row(svg, area, scale, rows.get(i), area.top() + (i + 0.5) * ROW_HEIGHT);
        return svg.close("svg").toString();
    }

    private static void row(Svg svg, PlotArea area, AxisScale scale, ResultRow row, double y) {
        LatencyStats latency = row.result().latency();
        svg.open("g", "class", "row " + ChartText.runtimeClass(row));
        svg.text("text", row.name(), "class", "row-label", "x", area.left() - 10, "y", y + 4, "text-anchor", "end");
        svg.empty("line", "class", "spread", "x1", area.x(scale, latency.p50Us()), "y1", y, "x2", area.x(scale, latency.p999Us()), "y2", y);
        for (Percentile percentile : PERCENTILES) {
            double value = percentile.value().applyAsDouble(latency);
            percentile.shape().draw(svg, area.x(scale, value), y, "marker",
                    row.name() + ": " + percentile.name() + " " + Units.micros(value, 3));
        }
        svg.text("text", Units.micros(latency.p50Us(), 3), "class", "value", "x", area.right() + VALUE_COLUMN - 4, "y", y + 4,
                "text-anchor", "end");
        svg.close("g");
    }

    /** The percentile shapes, then a colour swatch per runtime present. */
    private static void legend(Svg svg, PlotArea area, List<ResultRow> rows) {
        double x = area.left();
        svg.open("g", "class", "legend rt-kiln");
        for (Percentile percentile : PERCENTILES) {
            percentile.shape().draw(svg, x + 6, 18, "marker", null);
            svg.text("text", percentile.name(), "x", x + 16, "y", 22);
            x += 30 + percentile.name().length() * ChartText.CHAR_WIDTH;
        }
        svg.close("g");
        x += 16;
        for (ResultRow row : ChartText.oneRowPerRuntime(rows)) {
            svg.open("g", "class", "legend " + ChartText.runtimeClass(row));
            svg.empty("rect", "class", "swatch", "x", x, "y", 14.0, "width", 18.0, "height", 8.0, "rx", 2.0);
            svg.text("text", row.result().runtime(), "x", x + 24, "y", 22);
            svg.close("g");
            x += 40 + row.result().runtime().length() * ChartText.CHAR_WIDTH;
        }
    }
}
