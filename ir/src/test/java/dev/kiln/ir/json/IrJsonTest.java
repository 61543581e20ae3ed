package dev.kiln.ir.json;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.SampleGraphs;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.ir.SampleGraphs.attrs;
import static dev.kiln.ir.SampleGraphs.t;
import static dev.kiln.ir.SampleGraphs.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IrJsonTest {
    @Test
    void sampleGraphHasTheDocumentedStructure() {
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(IrJson.toJson(SampleGraphs.valid()));
        assertEquals(List.of("name", "opsets", "inputs", "outputs", "constants", "nodes"), List.copyOf(json.keySet()));
        assertEquals("main", json.get("name"));
        assertEquals(Map.of("test.kiln", 2L), json.get("opsets"));
        assertEquals(List.of(Map.of("name", "x", "type", "f32[batch,3,8,8]"), Map.of("name", "cond", "type", "bool[]")), json.get("inputs"));
        Map<?, ?> shape = (Map<?, ?>) ((List<?>) json.get("constants")).getFirst();
        assertEquals("shape", shape.get("name"));
        assertEquals("i64[2]", shape.get("type"));
        assertEquals(64, ((String) shape.get("hash")).length());
        assertEquals(List.of(2L, 48L), shape.get("values"));
        List<?> nodes = (List<?>) json.get("nodes");
        Map<?, ?> pool = (Map<?, ?>) nodes.getFirst();
        assertEquals(List.of("name", "op", "domain", "inputs", "outputs", "attributes"), List.copyOf(pool.keySet()));
        assertEquals("Pool", pool.get("op"));
        assertEquals("test.kiln", pool.get("domain"));
        assertEquals(List.of("x"), pool.get("inputs"));
        assertEquals(List.of(Map.of("name", "pooled", "type", "f32[batch,3,4,4]")), pool.get("outputs"));
        assertEquals(Map.of("kernel", List.of(2L, 2L), "stride", 2L), pool.get("attributes"));
        Map<?, ?> branches = (Map<?, ?>) ((Map<?, ?>) nodes.get(3)).get("attributes");
        Map<?, ?> then = (Map<?, ?>) branches.get("then_branch");
        assertEquals("then", then.get("name"));
        assertEquals("double", ((Map<?, ?>) ((List<?>) then.get("nodes")).getFirst()).get("name"));
    }

    @Test
    void escapesNamesAndWritesSpecialValuesAsValidJson() {
        String awkward = "q\"b\\s/\n\t\u0001\u007f é \uD83D\uDE00 \uD800";
        Tensor large = Tensor.zeros(DType.F32, 17);
        Map<String, Attribute> a = attrs("nan", Attribute.of(Float.NaN), "fs", Attribute.floats(Float.NEGATIVE_INFINITY, -0f, 1e-7f),
                "s", Attribute.of(awkward), "t", Attribute.of(large), "ty", Attribute.of(t(DType.F32, "a b")),
                "small", Attribute.of(Tensor.ofLongs(DType.U64, new long[] {1}, -1L)),
                "b", Attribute.of(Tensor.ofLongs(DType.BOOL, new long[] {2}, 1, 0)),
                "gs", Attribute.graphs(List.of(new Graph("sub", List.of(), List.of(), List.of(), Map.of(), Map.of()))));
        Value in = v(awkward, t(DType.F32, 2));
        Node n = new Node(awkward, "", "Op", List.of(in, Value.ABSENT), List.of(Value.ABSENT, v("out", t(DType.F32, 2))), a);
        Graph g = new Graph(awkward, List.of(in), List.of(), List.of(n), Map.of(), Map.of());
        Map<?, ?> json = (Map<?, ?>) JsonReader.parse(IrJson.toJson(g));
        assertEquals(awkward, json.get("name"));
        Map<?, ?> node = (Map<?, ?>) ((List<?>) json.get("nodes")).getFirst();
        assertEquals(java.util.Arrays.asList(awkward, null), node.get("inputs"));
        assertEquals(java.util.Arrays.asList(null, Map.of("name", "out", "type", "f32[2]")), node.get("outputs"));
        Map<?, ?> attributes = (Map<?, ?>) node.get("attributes");
        assertEquals("nan", attributes.get("nan"));
        assertEquals(List.of("-inf", -0.0, 1.0E-7), attributes.get("fs"));
        assertEquals(awkward, attributes.get("s"));
        assertEquals(Map.of("type", "f32[17]", "hash", large.contentHash()), attributes.get("t"));
        assertEquals("f32[\"a b\"]", attributes.get("ty"));
        assertEquals(List.of(new java.math.BigInteger("18446744073709551615")), ((Map<?, ?>) attributes.get("small")).get("values"));
        assertEquals(List.of(true, false), ((Map<?, ?>) attributes.get("b")).get("values"));
        assertEquals("sub", ((Map<?, ?>) ((List<?>) attributes.get("gs")).getFirst()).get("name"));
    }

    @Test
    void readerRejectsMalformedJson() {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": 1,}"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[\"\u0001\"]"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1] 2"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\" 1}"));
    }

    /** A strict JSON reader (RFC 8259) so that malformed output fails the tests: objects keep their key order. */
    static final class JsonReader {
        private final String s;
        private int pos;

        private JsonReader(String s) { this.s = s; }

        static Object parse(String text) {
            JsonReader r = new JsonReader(text);
            Object v = r.value();
            r.space();
            if (r.pos != text.length()) throw r.error("trailing text");
            return v;
        }

        private Object value() {
            space();
            if (pos >= s.length()) throw error("unexpected end");
            char c = s.charAt(pos);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", pos)) return literal("true", Boolean.TRUE);
            if (s.startsWith("false", pos)) return literal("false", Boolean.FALSE);
            if (s.startsWith("null", pos)) return literal("null", null);
            return number();
        }

        private Object literal(String word, Object value) {
            pos += word.length();
            return value;
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                space();
                if (peek() != '"') throw error("expected a key");
                String key = string();
                space();
                expect(':');
                m.put(key, value());
                space();
                if (peek() == '}') {
                    pos++;
                    return m;
                }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            pos++;
            space();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                l.add(value());
                space();
                if (peek() == ']') {
                    pos++;
                    return l;
                }
                expect(',');
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c < 0x20) throw error("raw control character in string");
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Object number() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?").matcher(s);
            if (!m.find(pos) || m.start() != pos || m.end() == pos) throw error("bad value");
            String text = m.group();
            pos = m.end();
            if (m.group(2) != null || m.group(3) != null) return Double.parseDouble(text);
            java.math.BigInteger big = new java.math.BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }

        private char peek() {
            if (pos >= s.length()) throw error("unexpected end");
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private void space() {
            while (pos < s.length() && " \n\r\t".indexOf(s.charAt(pos)) >= 0) pos++;
        }

        private IllegalArgumentException error(String message) { return new IllegalArgumentException(message + " at " + pos); }
    }
}
