package dev.kiln.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * Builds SVG markup. Attributes are given as name/value pairs; values are escaped, and numbers are written with two
 * decimals in the ROOT locale so a German or French default locale cannot turn {@code 1.5} into {@code 1,5}.
 */
final class Svg {
    private final StringBuilder out = new StringBuilder();

    /** Opens {@code <tag ...>}; close it with {@link #close}. */
    Svg open(String tag, Object... attributes) {
        out.append('<').append(tag);
        appendAttributes(attributes);
        out.append('>');
        return this;
    }

    Svg close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** A childless element: {@code <tag .../>}. */
    Svg empty(String tag, Object... attributes) {
        out.append('<').append(tag);
        appendAttributes(attributes);
        out.append("/>");
        return this;
    }

    /** An element holding only {@code text}, escaped. */
    Svg text(String tag, String text, Object... attributes) {
        open(tag, attributes);
        out.append(Html.escape(text));
        return close(tag);
    }

    /** A {@code <title>} child, which browsers show as a tooltip for its parent. */
    Svg title(String text) { return text("title", text); }

    /** A number as an attribute value. */
    static String number(double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("not a finite coordinate: " + value);
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.endsWith(".00") ? text.substring(0, text.length() - 3) : text;
    }

    /** The {@code points} attribute of a polyline or polygon: {@code x1,y1 x2,y2 ...}. */
    static String points(List<double[]> xy) {
        StringBuilder points = new StringBuilder();
        for (double[] point : xy) {
            if (!points.isEmpty()) points.append(' ');
            points.append(number(point[0])).append(',').append(number(point[1]));
        }
        return points.toString();
    }

    private void appendAttributes(Object[] attributes) {
        if (attributes.length % 2 != 0) throw new IllegalArgumentException("attributes come in name/value pairs");
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value == null) continue;
            String text = value instanceof Double d ? number(d) : value instanceof Integer n ? n.toString() : String.valueOf(value);
            out.append(' ').append(attributes[i]).append("=\"").append(Html.escape(text)).append('"');
        }
    }

    @Override
    public String toString() { return out.toString(); }
}
