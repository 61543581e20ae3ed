package dev.kiln.bench.report;

import java.util.function.DoubleFunction;

/** Draws a chart's axes: grid lines at the ticks, tick labels, and the axis title. */
final class Axes {
    private static final double TICK_LABEL_GAP = 8;

    private Axes() {}

    /** The horizontal axis below {@code area}, with vertical grid lines. */
    static void drawX(Svg svg, PlotArea area, AxisScale scale, DoubleFunction<String> tickLabel, String title) {
        svg.open("g", "class", "axis x-axis");
        for (double tick : scale.ticks()) {
            double x = area.x(scale, tick);
            svg.empty("line", "class", "grid", "x1", x, "y1", area.top(), "x2", x, "y2", area.bottom());
            svg.text("text", tickLabel.apply(tick), "x", x, "y", area.bottom() + TICK_LABEL_GAP + 10, "text-anchor", "middle");
        }
        svg.empty("line", "class", "baseline-axis", "x1", area.left(), "y1", area.bottom(), "x2", area.right(), "y2", area.bottom());
        svg.text("text", titled(title, scale), "class", "axis-title", "x", area.left() + area.width() / 2,
                "y", area.bottom() + TICK_LABEL_GAP + 34, "text-anchor", "middle");
        svg.close("g");
    }

    /** The vertical axis left of {@code area}, with horizontal grid lines. */
    static void drawY(Svg svg, PlotArea area, AxisScale scale, DoubleFunction<String> tickLabel, String title) {
        svg.open("g", "class", "axis y-axis");
        for (double tick : scale.ticks()) {
            double y = area.y(scale, tick);
            svg.empty("line", "class", "grid", "x1", area.left(), "y1", y, "x2", area.right(), "y2", y);
            svg.text("text", tickLabel.apply(tick), "x", area.left() - TICK_LABEL_GAP, "y", y + 4, "text-anchor", "end");
        }
        svg.empty("line", "class", "baseline-axis", "x1", area.left(), "y1", area.top(), "x2", area.left(), "y2", area.bottom());
        double x = area.left() - 66;
        double y = area.top() + area.height() / 2;
        svg.text("text", titled(title, scale), "class", "axis-title", "x", x, "y", y, "text-anchor", "middle",
                "transform", "rotate(-90 " + Svg.number(x) + " " + Svg.number(y) + ")");
        svg.close("g");
    }

    private static String titled(String title, AxisScale scale) { return scale.isLog() ? title + " (log scale)" : title; }
}
