package dev.kiln.cli.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON for the CLI's result files (the project has no JSON library): writes maps, lists, strings, numbers,
 * booleans and null; parses text into {@link LinkedHashMap}, {@link ArrayList}, {@link String}, {@link Long},
 * {@link Double}, {@link Boolean} and null.
 */
public final class Json {
    private Json() {}

    /** Indented JSON; lists and maps holding only scalars stay on one line. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    public static Object parse(String text) { return new Parser(text).document(); }

    private static void write(Object value, StringBuilder out, int indent) {
        switch (value) {
            case null -> out.append("null");
            case String s -> quote(s, out);
            case Boolean b -> out.append(b);
            case Double d when !Double.isFinite(d) -> out.append("null");
            case Float f when !Float.isFinite(f) -> out.append("null");
            case Number n -> out.append(n);
            case Map<?, ?> map -> writeMap(map, out, indent);
            case List<?> list -> writeList(list, out, indent);
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void writeMap(Map<?, ?> map, StringBuilder out, int indent) {
        boolean flat = map.values().stream().allMatch(Json::isFlat);
        out.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (i++ > 0) out.append(',');
            if (flat) {
                if (i > 1) out.append(' ');
            } else {
                newline(out, indent + 1);
            }
            quote(String.valueOf(e.getKey()), out);
            out.append(": ");
            write(e.getValue(), out, indent + 1);
        }
        if (!flat && !map.isEmpty()) newline(out, indent);
        out.append('}');
    }

    private static void writeList(List<?> list, StringBuilder out, int indent) {
        boolean flat = list.stream().allMatch(Json::isScalar);
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) out.append(flat ? ", " : ",");
            if (!flat) newline(out, indent + 1);
            write(list.get(i), out, indent + 1);
        }
        if (!flat && !list.isEmpty()) newline(out, indent);
        out.append(']');
    }

    private static boolean isScalar(Object v) { return !(v instanceof Map<?, ?>) && !(v instanceof List<?>); }

    /** Scalars, and lists of scalars, keep a map on one line. */
    private static boolean isFlat(Object v) {
        return isScalar(v) || (v instanceof List<?> l && l.stream().allMatch(Json::isScalar));
    }

    private static void newline(StringBuilder out, int indent) { out.append('\n').append("  ".repeat(indent)); }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) { this.text = text; }

        Object document() {
            Object v = value();
            skipSpace();
            if (pos != text.length()) throw error("unexpected text after the JSON value");
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= text.length()) throw error("unexpected end of input");
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek('}')) return map;
            while (true) {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected a quoted key");
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek('}')) return map;
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek(']')) return list;
            while (true) {
                list.add(value());
                skipSpace();
                if (peek(']')) return list;
                expect(',');
            }
        }

        private String string() {
            StringBuilder s = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) throw error("unterminated string");
                char c = text.charAt(pos++);
                if (c == '"') return s.toString();
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                if (pos >= text.length()) throw error("unterminated escape");
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) throw error("bad \\u escape");
                        try {
                            s.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        private Object number() {
            int start = pos;
            if (text.charAt(pos) == '-') pos++;
            while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) pos++;
            String n = text.substring(start, pos);
            try {
                if (n.matches("-?\\d+")) return Long.parseLong(n);
                return Double.parseDouble(n);
            } catch (NumberFormatException e) {
                throw error("bad number '" + n + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) throw error("unexpected text");
            pos += word.length();
            return value;
        }

        private boolean peek(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) throw error("expected '" + c + "'");
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private IllegalArgumentException error(String message) {
            int line = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) if (text.charAt(i) == '\n') line++;
            return new IllegalArgumentException("JSON line " + line + ": " + message);
        }
    }
}
