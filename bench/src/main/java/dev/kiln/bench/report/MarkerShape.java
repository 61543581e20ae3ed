package dev.kiln.bench.report;

import java.util.List;

/** Point markers for charts, each a different shape so series stay apart in greyscale print. */
enum MarkerShape {
    CIRCLE, SQUARE, DIAMOND, TRIANGLE;

    private static final double SIZE = 5.5;

    /** Draws this marker centred on {@code x, y}, with a tooltip when {@code tooltip} is not null. */
    void draw(Svg svg, double x, double y, String cssClass, String tooltip) {
        String tag = this == CIRCLE ? "circle" : this == SQUARE ? "rect" : "polygon";
        Object[] geometry = switch (this) {
            case CIRCLE -> new Object[] {"cx", x, "cy", y, "r", SIZE - 0.5};
            case SQUARE -> new Object[] {"x", x - SIZE + 1, "y", y - SIZE + 1, "width", 2 * SIZE - 2, "height", 2 * SIZE - 2};
            case DIAMOND -> new Object[] {"points", Svg.points(List.of(new double[] {x, y - SIZE - 1}, new double[] {x + SIZE + 1, y},
                    new double[] {x, y + SIZE + 1}, new double[] {x - SIZE - 1, y}))};
            case TRIANGLE -> new Object[] {"points", Svg.points(List.of(new double[] {x, y - SIZE - 0.5},
                    new double[] {x + SIZE + 0.5, y + SIZE - 0.5}, new double[] {x - SIZE - 0.5, y + SIZE - 0.5}))};
        };
        Object[] attributes = new Object[geometry.length + 2];
        attributes[0] = "class";
        attributes[1] = cssClass;
        System.arraycopy(geometry, 0, attributes, 2, geometry.length);
        if (tooltip == null) {
            svg.empty(tag, attributes);
        } else {
            svg.open(tag, attributes).title(tooltip).close(tag);
        }
    }
}
