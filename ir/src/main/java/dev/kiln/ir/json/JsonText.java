package dev.kiln.ir.json;

import java.util.List;
import java.util.Map;

/**
 * Writes a tree of {@code Map<String, ?>} (in its iteration order), {@code List}, {@code String},
 * {@code Boolean}, {@code null} and {@link Number} as indented JSON. Lists of scalars and small objects of scalars stay on one line.
 * Numbers print with {@code toString()}; a non-finite float, which JSON cannot hold, prints as a string.
 * The one JSON writer of the project: the IR's JSON view and the CLI's result files both use it.
 */
public final class JsonText {
    private final StringBuilder out = new StringBuilder();

    private JsonText() {}

    public static String write(Object value) {
        JsonText w = new JsonText();
        w.value(value, 0);
        return w.out.append('\n').toString();
    }

    private void value(Object v, int depth) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(s);
            case Boolean b -> out.append(b);
            case Double d when !Double.isFinite(d) -> string(nonFinite(d));
            case Float f when !Float.isFinite(f) -> string(nonFinite(f));
            case Number n -> out.append(n);
            case Map<?, ?> m -> object(m, depth);
            case List<?> l -> array(l, depth);
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static String nonFinite(double d) { return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf"; }

    /** Small objects of scalars (a value's name and type) stay on one line. */
    private void object(Map<?, ?> m, int depth) {
        boolean flat = m.size() <= 3 && m.values().stream().allMatch(JsonText::isScalar);
        out.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (flat) {
                if (i++ > 0) out.append(", ");
            } else {
                out.append(i++ > 0 ? ",\n" : "\n");
                indent(depth + 1);
            }
            string((String) e.getKey());
            out.append(": ");
            value(e.getValue(), depth + 1);
        }
        if (!flat) {
            out.append('\n');
            indent(depth);
        }
        out.append('}');
    }

    private static boolean isScalar(Object v) {
        return !(v instanceof Map<?, ?> m && !m.isEmpty()) && !(v instanceof List<?> l && !l.isEmpty());
    }

    private void array(List<?> l, int depth) {
        boolean flat = l.stream().allMatch(JsonText::isScalar);
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
            if (flat) {
                if (i > 0) out.append(", ");
            } else {
                out.append(i > 0 ? ",\n" : "\n");
                indent(depth + 1);
            }
            value(l.get(i), depth + 1);
        }
        if (!flat) {
            out.append('\n');
            indent(depth);
        }
        out.append(']');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a valid pair (and so encodes to UTF-8). */
    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void indent(int depth) { out.append("  ".repeat(depth)); }
}
