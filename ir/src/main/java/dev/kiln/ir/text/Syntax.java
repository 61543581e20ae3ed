package dev.kiln.ir.text;

import java.util.Set;

/**
 * The lexical rules of IR text that the printer and the lexer must agree on: which names print bare and how
 * the rest are quoted. ONNX names may hold any character ({@code /}, {@code :}, spaces), so quoting is total.
 */
final class Syntax {
    private Syntax() {}

    /** Words that start a statement; an op with one of these names prints quoted so statements stay unambiguous. */
    static final Set<String> STATEMENT_WORDS = Set.of("const", "opsets", "name");

    /** Plain identifier: a letter or {@code _}, then letters, digits, {@code _} and {@code .}; not {@code _} alone. */
    static boolean isIdentifier(String s) {
        if (s.isEmpty() || s.equals("_") || !isIdentifierStart(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) {
            if (!isBareChar(s.charAt(i))) return false;
        }
        return true;
    }

    static boolean isIdentifierStart(char c) { return c == '_' || (c < 128 && Character.isLetter(c)); }

    /** Characters of bare names after {@code %} and {@code @} (so {@code %0} and {@code %conv1.weight} stay bare). */
    static boolean isBareChar(char c) { return c == '_' || c == '.' || (c < 128 && Character.isLetterOrDigit(c)); }

    static boolean isBareName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isBareChar(s.charAt(i))) return false;
        }
        return true;
    }

    /** {@code %name}, quoting names that are not bare: {@code %"onnx::Conv_1"}. */
    static String valueRef(String name) { return "%" + (isBareName(name) ? name : quote(name)); }

    static String graphRef(String name) { return "@" + (isBareName(name) ? name : quote(name)); }

    /** An identifier as is, anything else quoted. */
    static String word(String s) { return isIdentifier(s) ? s : quote(s); }

    /** An op or domain name: like {@link #word}, but statement words are quoted too. */
    static String opWord(String s) { return STATEMENT_WORDS.contains(s) ? quote(s) : word(s); }

    /**
     * A double-quoted string literal. Escapes quote, backslash and control characters, and unpaired surrogates
     * (which UTF-8 cannot carry), so that any Java string survives a trip through a UTF-8 file.
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairedHigh) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
