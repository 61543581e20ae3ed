package dev.kiln.bench.report;

/** Escaping for text and attribute values placed in HTML or SVG: every string from a result goes through here. */
public final class Html {
    private Html() {}

    /** {@code text} with the five XML-special characters replaced by entities; null becomes the empty string. */
    public static String escape(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
