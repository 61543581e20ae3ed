package dev.kiln.ir.text;

/**
 * One lexical token of IR text. {@code text} is the decoded content: the name without its {@code %} or
 * {@code @} sigil and quotes, a string without quotes and escapes, the characters of a word or punctuation.
 */
record Token(Kind kind, String text, int line, int column) {
    enum Kind {
        /** {@code %name} or {@code %"name"}. */
        VALUE,
        /** {@code @name} or {@code @"name"}. */
        GLOBAL,
        /** A plain identifier such as {@code Conv}, {@code f32}, {@code ai.onnx.ml}. */
        IDENT,
        /** A double-quoted string. */
        STRING,
        /** A number, {@code -inf}, or a run of letters and digits that starts with a digit (hash digits). */
        NUMBER,
        /** {@code _}: an absent value. */
        UNDERSCORE,
        /** {@code ->}. */
        ARROW,
        /** One of {@code ( ) { } [ ] < > , : = ? *}. */
        PUNCT,
        EOF
    }

    boolean is(Kind k, String s) { return kind == k && text.equals(s); }

    boolean isPunct(char c) { return kind == Kind.PUNCT && text.charAt(0) == c; }

    boolean isWord(String s) { return is(Kind.IDENT, s); }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case VALUE -> "'" + Syntax.valueRef(text) + "'";
            case GLOBAL -> "'" + Syntax.graphRef(text) + "'";
            case STRING -> "string " + Syntax.quote(text);
            default -> "'" + text + "'";
        };
    }
}
