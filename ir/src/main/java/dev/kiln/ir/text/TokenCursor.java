package dev.kiln.ir.text;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/** A reading position in IR tokens, with the expect-or-fail steps and the type grammar the parsers share. */
final class TokenCursor {
    private final List<Token> tokens;
    private int pos;

    TokenCursor(List<Token> tokens) { this.tokens = tokens; }

    Token peek() { return tokens.get(pos); }

    Token peek(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.EOF) pos++;
        return t;
    }

    boolean acceptPunct(char c) {
        if (!peek().isPunct(c)) return false;
        pos++;
        return true;
    }

    Token expectPunct(char c) {
        if (!peek().isPunct(c)) throw expected("'" + c + "'");
        return next();
    }

    Token expectWord(String word) {
        if (!peek().isWord(word)) throw expected("'" + word + "'");
        return next();
    }

    Token expect(Token.Kind kind, String what) {
        if (peek().kind() != kind) throw expected(what);
        return next();
    }

    /** An identifier or a quoted string (names of ops, domains, attributes, dims). */
    String word(String what) {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT && t.kind() != Token.Kind.STRING) throw expected(what);
        return next().text();
    }

    /** A non-negative decimal integer that fits an int (opset versions). */
    int smallInt(String what) {
        Token t = expect(Token.Kind.NUMBER, what);
        try {
            int v = Integer.parseInt(t.text());
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(t, "expected " + what + ", found " + t.describe());
    }

    IrParseException expected(String what) { return error(peek(), "expected " + what + ", found " + peek().describe()); }

    IrParseException error(Token at, String message) { return new IrParseException(at.line(), at.column(), message); }

    /** {@code f32[1,batch,?]}, {@code f32[*]}, {@code seq<T>}, {@code opt<T>}. */
    ValueType type() {
        Token t = peek();
        if (t.isWord("seq") || t.isWord("opt")) {
            next();
            expectPunct('<');
            ValueType element = type();
            expectPunct('>');
            return t.text().equals("seq") ? new SequenceType(element) : new OptionalType(element);
        }
        if (t.kind() != Token.Kind.IDENT) throw expected("a type");
        DType dtype = dtype(next());
        expectPunct('[');
        if (acceptPunct('*')) {
            expectPunct(']');
            return new TensorType(dtype, Shape.UNKNOWN_RANK);
        }
        List<Dim> dims = new ArrayList<>();
        if (!acceptPunct(']')) {
            do {
                dims.add(dim());
            } while (acceptPunct(','));
            expectPunct(']');
        }
        return new TensorType(dtype, Shape.of(dims));
    }

    private DType dtype(Token t) {
        try {
            return DType.fromShortName(t.text());
        } catch (IllegalArgumentException e) {
            throw error(t, "unknown element type '" + t.text() + "'");
        }
    }

    private Dim dim() {
        Token t = peek();
        if (t.isPunct('?')) {
            next();
            return Dim.UNKNOWN;
        }
        if (t.kind() == Token.Kind.NUMBER) {
            next();
            try {
                long size = Long.parseLong(t.text());
                if (size >= 0) return Dim.of(size);
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(t, "expected a dimension size, found " + t.describe());
        }
        if (t.kind() == Token.Kind.STRING && t.text().isEmpty()) throw error(t, "a symbolic dimension needs a name");
        return Dim.symbolic(word("a dimension"));
    }
}
