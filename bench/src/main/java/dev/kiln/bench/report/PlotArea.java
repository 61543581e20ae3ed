package dev.kiln.bench.report;

/** The rectangle of an SVG chart that data is drawn in (margins hold axes and labels), in SVG user units. */
record PlotArea(double left, double top, double width, double height) {

    double right() { return left + width; }

    double bottom() { return top + height; }

    /** The horizontal position of {@code value} on {@code scale}. */
    double x(AxisScale scale, double value) { return left + scale.fraction(value) * width; }

    /** The vertical position of {@code value} on {@code scale}, larger values higher up. */
    double y(AxisScale scale, double value) { return bottom() - scale.fraction(value) * height; }
}
