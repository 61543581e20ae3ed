package dev.kiln.ir.text;

import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A tensor as written in IR text, read before its type is known (attributes write the type after the value):
 * {@code dense<[e0, e1, ...]>} with the elements in row-major order, or {@code resource<sha256:HEX>}.
 */
final class TensorLiteral {
    /** One element: a number or word, a string, or a complex pair {@code (re, im)}. */
    private record Element(Token at, String text, String imaginary, boolean quoted) {}

    private final Token at;
    private final List<Element> elements;
    private final String hash;

    private TensorLiteral(Token at, List<Element> elements, String hash) {
        this.at = at;
        this.elements = elements;
        this.hash = hash;
    }

    static boolean startsAt(Token t) { return t.isWord("dense") || t.isWord("resource"); }

    static TensorLiteral read(TokenCursor in) {
        Token at = in.peek();
        if (at.isWord("resource")) {
            in.next();
            in.expectPunct('<');
            in.expectWord("sha256");
            in.expectPunct(':');
            Token digits = in.next();
            if (digits.text().length() != 64 || !digits.text().chars().allMatch(c -> HexFormat.isHexDigit(c) && !Character.isUpperCase(c))) {
                throw in.error(digits, "expected 64 lowercase hex digits after 'sha256:', found " + digits.describe());
            }
            in.expectPunct('>');
            return new TensorLiteral(at, null, digits.text());
        }
        in.expectWord("dense");
        in.expectPunct('<');
        in.expectPunct('[');
        List<Element> elements = new ArrayList<>();
        if (!in.acceptPunct(']')) {
            do {
                elements.add(element(in));
            } while (in.acceptPunct(','));
            in.expectPunct(']');
        }
        in.expectPunct('>');
        return new TensorLiteral(at, elements, null);
    }

    private static Element element(TokenCursor in) {
        Token t = in.peek();
        if (t.kind() == Token.Kind.STRING) return new Element(in.next(), t.text(), null, true);
        if (t.isPunct('(')) {
            in.next();
            String re = scalar(in);
            in.expectPunct(',');
            String im = scalar(in);
            in.expectPunct(')');
            return new Element(t, re, im, false);
        }
        return new Element(t, scalar(in), null, false);
    }

    /** The text of a number, {@code true}/{@code false}, {@code inf}, {@code nan} or {@code nan(0x...)}. */
    static String scalar(TokenCursor in) {
        Token t = in.peek();
        if (t.kind() == Token.Kind.NUMBER) return in.next().text();
        if (t.isWord("nan")) {
            in.next();
            if (!in.acceptPunct('(')) return "nan";
            String bits = in.expect(Token.Kind.NUMBER, "NaN bits such as 0x7fc00001").text();
            in.expectPunct(')');
            return "nan(" + bits + ")";
        }
        if (t.isWord("inf") || t.isWord("true") || t.isWord("false")) return in.next().text();
        throw in.expected("a tensor element");
    }

    /** The tensor this literal denotes as a value of {@code type}; {@code typeAt} locates the type for errors. */
    Tensor build(TensorType type, Token typeAt, ConstantResolver resolver, TokenCursor in) {
        if (!type.shape().isStatic()) throw in.error(typeAt, "a constant needs a static shape, got " + IrPrinter.formatType(type));
        long[] shape = type.shape().toArray();
        int expected;
        try {
            expected = Tensor.checkedSize(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw in.error(typeAt, "shape of " + IrPrinter.formatType(type) + " is too large for a tensor");
        }
        if (hash != null) {
            Tensor t = resolver.resolve(hash);
            if (t == null) throw in.error(at, "cannot resolve resource<sha256:" + hash + ">: no tensor with that content hash");
            if (!t.type().equals(type)) {
                throw in.error(at, "resource<sha256:" + hash + "> is " + IrPrinter.formatType(t.type())
                        + ", declared " + IrPrinter.formatType(type));
            }
            return t;
        }
        if (elements.size() != expected) {
            throw in.error(at, "dense<...> has " + elements.size() + " elements, " + IrPrinter.formatType(type)
                    + " needs " + expected);
        }
        DType dtype = type.dtype();
        if (dtype == DType.STRING) {
            String[] values = new String[elements.size()];
            for (int i = 0; i < values.length; i++) {
                Element e = elements.get(i);
                if (!e.quoted()) throw in.error(e.at(), "expected a string element, found " + e.at().describe());
                values[i] = e.text();
            }
            return Tensor.ofStrings(shape, values);
        }
        boolean complex = dtype == DType.C64 || dtype == DType.C128;
        int elementBytes = complex ? dtype.bits() / 8 : dtype.storageBytes();
        ByteBuffer data = ByteBuffer.allocate(elements.size() * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            if (e.quoted() || complex != (e.imaginary() != null)) {
                throw in.error(e.at(), "expected " + (complex ? "a pair (re, im)" : "a number") + " for " + dtype
                        + ", found " + e.at().describe());
            }
            try {
                if (complex) {
                    ElementText.writeComplex(dtype, e.text(), e.imaginary(), data, i);
                } else {
                    ElementText.write(dtype, e.text(), data, i);
                }
            } catch (IllegalArgumentException bad) {
                throw in.error(e.at(), bad.getMessage());
            }
        }
        return Tensor.fromStorage(dtype, shape, data);
    }
}
