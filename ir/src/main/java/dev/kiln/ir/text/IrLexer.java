package dev.kiln.ir.text;

import java.util.ArrayList;
import java.util.List;

/** Splits IR text into {@link Token}s; {@code //} starts a comment that runs to the end of the line. */
final class IrLexer {
    private static final String PUNCTUATION = "(){}[]<>,:=?*";

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private IrLexer(String text) { this.text = text; }

    static List<Token> tokenize(String text) {
        IrLexer lexer = new IrLexer(text);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != Token.Kind.EOF);
        return tokens;
    }

    private Token next() {
        skipSpaceAndComments();
        int startLine = line;
        int startColumn = column();
        if (pos >= text.length()) return new Token(Token.Kind.EOF, "", startLine, startColumn);
        char c = text.charAt(pos);
        if (c == '%' || c == '@') {
            pos++;
            String name = name(c == '%' ? "value" : "graph", startColumn);
            if (c == '%' && name.isEmpty()) throw error(startColumn, "a value name cannot be empty (an absent value is _)");
            return new Token(c == '%' ? Token.Kind.VALUE : Token.Kind.GLOBAL, name, startLine, startColumn);
        }
        if (c == '"') return new Token(Token.Kind.STRING, string(), startLine, startColumn);
        if (Syntax.isIdentifierStart(c)) {
            String word = bareRun();
            Token.Kind kind = word.equals("_") ? Token.Kind.UNDERSCORE : Token.Kind.IDENT;
            return new Token(kind, word, startLine, startColumn);
        }
        if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
            pos += 2;
            return new Token(Token.Kind.ARROW, "->", startLine, startColumn);
        }
        if (isDigit(c) || (c == '-' && pos + 1 < text.length() && Syntax.isBareChar(text.charAt(pos + 1)))) {
            return new Token(Token.Kind.NUMBER, number(), startLine, startColumn);
        }
        if (PUNCTUATION.indexOf(c) >= 0) {
            pos++;
            return new Token(Token.Kind.PUNCT, String.valueOf(c), startLine, startColumn);
        }
        throw error(startColumn, "unexpected character " + describeChar(c));
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private int column() { return pos - lineStart + 1; }

    private String name(String what, int startColumn) {
        if (pos < text.length() && text.charAt(pos) == '"') return string();
        String run = bareRun();
        if (run.isEmpty()) throw error(startColumn, "expected a " + what + " name after '" + text.charAt(pos - 1) + "'");
        return run;
    }

    private String bareRun() {
        int start = pos;
        while (pos < text.length() && Syntax.isBareChar(text.charAt(pos))) pos++;
        return text.substring(start, pos);
    }

    /** A decimal ({@code -1.5E-3}), a word such as {@code -inf}, or hex digits; a sign may follow an exponent's e. */
    private String number() {
        int start = pos;
        pos++;
        boolean hex = text.startsWith("0x", start) || text.startsWith("-0x", start);
        while (pos < text.length()) {
            char c = text.charAt(pos);
            char prev = text.charAt(pos - 1);
            boolean exponentSign = !hex && (c == '-' || c == '+') && (prev == 'e' || prev == 'E');
            if (!Syntax.isBareChar(c) && !exponentSign) break;
            pos++;
        }
        return text.substring(start, pos);
    }

    private String string() {
        int startColumn = column();
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') throw error(startColumn, "unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) throw error(startColumn, "unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'u' -> b.append(unicodeEscape());
                default -> throw error(column() - 2, "unknown escape '\\" + e + "' in string");
            }
        }
    }

    private char unicodeEscape() {
        int escapeColumn = column() - 2;
        if (pos + 4 > text.length()) throw error(escapeColumn, "expected 4 hex digits after \\u");
        String hex = text.substring(pos, pos + 4);
        for (int i = 0; i < 4; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) throw error(escapeColumn, "expected 4 hex digits after \\u");
        }
        pos += 4;
        return (char) Integer.parseInt(hex, 16);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static String describeChar(char c) {
        return c < 0x20 || c >= 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private IrParseException error(int column, String message) { return new IrParseException(line, column, message); }
}
