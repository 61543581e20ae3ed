package dev.kiln.ir.text;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IrParserErrorTest {
    private static void assertError(String expected, String text) {
        IrParseException e = assertThrows(IrParseException.class, () -> IrParser.parse(text));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void missingPunctuation() {
        assertError("1:21: expected ')', found '{'", "graph @g(%x: f32[2] {}");
        assertError("1:12: expected '->', found '{'", "graph @g() {}");
        assertError("1:1: expected 'graph', found '%x'", "%x");
        assertError("2:1: expected a node or '}', found end of input", "graph @g() -> () {\n");
    }

    @Test
    void trailingInput() { assertError("1:21: expected end of input, found 'graph'", "graph @g() -> () {} graph"); }

    @Test
    void badTypes() {
        assertError("1:14: unknown element type 'float'", "graph @g(%x: float[2]) -> () {}");
        assertError("1:18: expected a dimension size, found '-1'", "graph @g(%x: f32[-1]) -> () {}");
        assertError("1:14: expected a type, found '['", "graph @g(%x: [2]) -> () {}");
        assertError("1:18: a symbolic dimension needs a name", "graph @g(%x: f32[\"\"]) -> () {}");
    }

    @Test
    void undefinedValueNeedsAType() {
        assertError("2:19: undefined value %y (a use before its definition needs a type: %y: T)", """
                graph @g() -> () {
                  %z: f32[] = Neg(%y)
                }""");
    }

    @Test
    void lexicalErrors() {
        assertError("1:16: unterminated string", "graph @g() -> (\"abc");
        assertError("2:15: unknown escape '\\q' in string", "graph @g() -> () {\n  Op() name \"a\\q\"\n}");
        assertError("1:12: expected 4 hex digits after \\u", "graph @\"a b\\u12\"() -> () {}");
        assertError("1:12: unexpected character '$'", "graph @g() $");
        assertError("1:7: expected a graph name after '@'", "graph @ () -> () {}");
        assertError("1:10: a value name cannot be empty (an absent value is _)", "graph @g(%\"\": f32[]) -> () {}");
    }

    @Test
    void constantErrors() {
        assertError("2:22: dense<...> has 3 elements, f32[2] needs 2", """
                graph @g() -> () {
                  const %c: f32[2] = dense<[1.0, 2.0, 3.0]>
                }""");
        assertError("2:31: 300 is out of range for u8", """
                graph @g() -> () {
                  const %c: u8[2] = dense<[1, 300]>
                }""");
        assertError("2:13: a constant needs a static shape, got f32[n]", """
                graph @g() -> () {
                  const %c: f32[n] = dense<[1.0]>
                }""");
        assertError("2:29: nan(0x3f800000) is not a NaN of f32", """
                graph @g() -> () {
                  const %c: f32[1] = dense<[nan(0x3f800000)]>
                }""");
        assertError("2:32: expected a string element, found '1'", """
                graph @g() -> () {
                  const %c: string[1] = dense<[1]>
                }""");
        assertError("3:3: 'const' must come before the nodes", """
                graph @g() -> () {
                  Op()
                  const %c: f32[1] = dense<[1.0]>
                }""");
        assertError("3:3: 'opsets' must come first in a graph", """
                graph @g() -> () {
                  const %c: f32[1] = dense<[1.0]>
                  opsets {"": 1}
                }""");
        assertError("3:9: constant %c is declared twice", """
                graph @g() -> () {
                  const %c: f32[1] = dense<[1.0]>
                  const %c: f32[1] = dense<[2.0]>
                }""");
    }

    @Test
    void unresolvableResourceNamesItsHash() {
        String hash = "ab".repeat(32);
        assertError("2:24: cannot resolve resource<sha256:" + hash + ">: no tensor with that content hash",
                "graph @g() -> () {\n  const %w: f32[100] = resource<sha256:" + hash + ">\n}");
        assertError("2:40: expected 64 lowercase hex digits after 'sha256:', found 'abc'",
                "graph @g() -> () {\n  const %w: f32[100] = resource<sha256:abc>\n}");
    }

    @Test
    void resourceOfTheWrongTypeIsRejected() {
        Tensor t = Tensor.zeros(DType.F32, 20);
        Graph g = new Graph("g", List.of(), List.of(), List.of(), Map.of("w", t), Map.of());
        String text = "graph @g() -> () {\n  const %w: f32[4,5] = resource<sha256:" + t.contentHash() + ">\n}";
        IrParseException e = assertThrows(IrParseException.class, () -> IrParser.parse(text, ConstantResolver.of(g)));
        assertEquals("2:24: resource<sha256:" + t.contentHash() + "> is f32[20], declared f32[4,5]", e.getMessage());
    }

    @Test
    void attributeErrors() {
        assertError("2:16: attribute 'a' is given twice", "graph @g() -> () {\n  Op() {a = 1, a = 2}\n}");
        assertError("2:17: list element is float but the list holds ints", "graph @g() -> () {\n  Op() {a = [1, 2.0]}\n}");
        assertError("2:13: an empty list needs its kind, e.g. ints[]", "graph @g() -> () {\n  Op() {a = []}\n}");
        assertError("2:13: expected an attribute value, found '}'", "graph @g() -> () {\n  Op() {a = }\n}");
        assertError("2:13: 99999999999999999999 does not fit an int64 attribute", "graph @g() -> () {\n  Op() {a = 99999999999999999999}\n}");
        assertError("2:23: expected ':', found '}'", "graph @g() -> () {\n  Op() {a = dense<[1]>}\n}");
    }

    @Test
    void opsetErrors() {
        assertError("1:35: opset of domain \"\" given twice", "graph @g() -> () { opsets {\"\": 1, \"\": 2} }");
        assertError("1:32: expected an opset version, found '-1'", "graph @g() -> () { opsets {\"\": -1} }");
    }
}
