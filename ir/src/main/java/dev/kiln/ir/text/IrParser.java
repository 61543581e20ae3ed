package dev.kiln.ir.text;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the IR text that {@link IrPrinter} writes back into a {@link Graph}. Large tensors appear in the text
 * as content hashes; a {@link ConstantResolver} supplies them. Every error is an {@link IrParseException} that
 * starts with {@code line:column}.
 */
public final class IrParser {
    private static final Map<String, Attribute.Kind> EMPTY_LISTS = Map.of("ints", Attribute.Kind.INTS,
            "floats", Attribute.Kind.FLOATS, "strings", Attribute.Kind.STRINGS, "tensors", Attribute.Kind.TENSORS,
            "graphs", Attribute.Kind.GRAPHS, "types", Attribute.Kind.TYPES);

    private final TokenCursor in;
    private final ConstantResolver resolver;

    private IrParser(String text, ConstantResolver resolver) {
        this.in = new TokenCursor(IrLexer.tokenize(text));
        this.resolver = resolver;
    }

    /** Parses one graph; {@code resolver} supplies the tensors that the text names by content hash. */
    public static Graph parse(String text, ConstantResolver resolver) {
        IrParser p = new IrParser(text, resolver);
        Graph g = p.graph(Map.of(), null);
        if (p.in.peek().kind() != Token.Kind.EOF) throw p.in.expected("end of input");
        return g;
    }

    /** Parses a graph whose tensors are all inline. */
    public static Graph parse(String text) { return parse(text, ConstantResolver.none()); }

    /** Parses a type as {@link IrPrinter#formatType} writes it, e.g. {@code f32[batch,3]}. */
    public static ValueType parseType(String text) {
        IrParser p = new IrParser(text, ConstantResolver.none());
        ValueType t = p.in.type();
        if (p.in.peek().kind() != Token.Kind.EOF) throw p.in.expected("end of input");
        return t;
    }

    /**
     * {@code graph @name(inputs) -> (outputs) { opsets? const* node* }}. {@code visible} maps the names of
     * enclosing graphs to their types; {@code parentOpsets} is null at the top level, else the default opsets.
     */
    private Graph graph(Map<String, ValueType> visible, Map<String, Integer> parentOpsets) {
        in.expectWord("graph");
        String name = in.expect(Token.Kind.GLOBAL, "a graph name such as @main").text();
        List<Value> inputs = typedValues();
        in.expect(Token.Kind.ARROW, "'->'");
        List<Value> outputs = typedValues();
        in.expectPunct('{');
        Map<String, ValueType> scope = new HashMap<>(visible);
        for (Value v : inputs) {
            if (!v.isAbsent()) scope.put(v.name(), v.type());
        }
        Map<String, Integer> opsets = parentOpsets == null ? Map.of() : parentOpsets;
        if (in.peek().isWord("opsets")) opsets = opsets();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        while (in.peek().isWord("const")) constant(constants, scope);
        if (in.peek().isWord("opsets")) throw in.error(in.peek(), "'opsets' must come first in a graph");
        List<Node> nodes = new ArrayList<>();
        while (!in.acceptPunct('}')) {
            Token t = in.peek();
            if (t.isWord("const")) throw in.error(t, "'const' must come before the nodes");
            if (t.isWord("opsets")) throw in.error(t, "'opsets' must come first in a graph");
            if (t.kind() == Token.Kind.EOF) throw in.expected("a node or '}'");
            Node n = node(scope, opsets);
            nodes.add(n);
            for (Value o : n.outputs()) {
                if (!o.isAbsent()) scope.put(o.name(), o.type());
            }
        }
        return new Graph(name, inputs, outputs, nodes, constants, opsets);
    }

    /** {@code (%a: T, %b: T)}. */
    private List<Value> typedValues() {
        in.expectPunct('(');
        List<Value> values = new ArrayList<>();
        if (in.acceptPunct(')')) return values;
        do {
            values.add(typedValue());
        } while (in.acceptPunct(','));
        in.expectPunct(')');
        return values;
    }

    /** {@code %x: T}, or {@code _} for an absent value. */
    private Value typedValue() {
        if (in.peek().kind() == Token.Kind.UNDERSCORE) {
            in.next();
            return Value.ABSENT;
        }
        String name = in.expect(Token.Kind.VALUE, "a value such as %x").text();
        in.expectPunct(':');
        return new Value(name, in.type());
    }

    /** {@code opsets {"": 17, "ai.onnx.ml": 3}}. */
    private Map<String, Integer> opsets() {
        in.expectWord("opsets");
        in.expectPunct('{');
        Map<String, Integer> opsets = new LinkedHashMap<>();
        if (in.acceptPunct('}')) return opsets;
        do {
            Token domain = in.expect(Token.Kind.STRING, "a quoted domain such as \"\"");
            in.expectPunct(':');
            if (opsets.put(domain.text(), in.smallInt("an opset version")) != null) {
                throw in.error(domain, "opset of domain " + Syntax.quote(domain.text()) + " given twice");
            }
        } while (in.acceptPunct(','));
        in.expectPunct('}');
        return opsets;
    }

    /** {@code const %w: f32[2] = dense<[1.0, 2.0]>}. */
    private void constant(Map<String, Tensor> constants, Map<String, ValueType> scope) {
        in.expectWord("const");
        Token nameToken = in.expect(Token.Kind.VALUE, "a value such as %w");
        in.expectPunct(':');
        Token typeAt = in.peek();
        TensorType type = tensorType();
        in.expectPunct('=');
        if (!TensorLiteral.startsAt(in.peek())) throw in.expected("'dense' or 'resource'");
        Tensor value = TensorLiteral.read(in).build(type, typeAt, resolver, in);
        if (constants.put(nameToken.text(), value) != null) {
            throw in.error(nameToken, "constant " + Syntax.valueRef(nameToken.text()) + " is declared twice");
        }
        scope.put(nameToken.text(), type);
    }

    private TensorType tensorType() {
        Token at = in.peek();
        if (in.type() instanceof TensorType t) return t;
        throw in.error(at, "expected a tensor type, found a sequence or optional type");
    }

    /** {@code %y: T, _ = domain:Op(%a, _, %b: T) {attrs} name "n"}; a node without outputs starts at its op. */
    private Node node(Map<String, ValueType> scope, Map<String, Integer> opsets) {
        List<Value> outputs = new ArrayList<>();
        Token first = in.peek();
        if (first.kind() == Token.Kind.VALUE || first.kind() == Token.Kind.UNDERSCORE) {
            do {
                outputs.add(typedValue());
            } while (in.acceptPunct(','));
            in.expectPunct('=');
        }
        String domain = "";
        String op = in.word("an op name");
        if (in.acceptPunct(':')) {
            domain = op;
            op = in.word("an op name after the domain");
        }
        in.expectPunct('(');
        List<Value> inputs = new ArrayList<>();
        if (!in.acceptPunct(')')) {
            do {
                inputs.add(input(scope));
            } while (in.acceptPunct(','));
            in.expectPunct(')');
        }
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        if (in.acceptPunct('{')) {
            do {
                Token nameAt = in.peek();
                String attrName = in.word("an attribute name");
                in.expectPunct('=');
                if (attributes.put(attrName, attribute(scope, opsets)) != null) {
                    throw in.error(nameAt, "attribute '" + attrName + "' is given twice");
                }
            } while (in.acceptPunct(','));
            in.expectPunct('}');
        }
        String name = "";
        if (in.peek().isWord("name")) {
            in.next();
            name = in.expect(Token.Kind.STRING, "a quoted node name").text();
        }
        return new Node(name, domain, op, inputs, outputs, attributes);
    }

    /** {@code _}, {@code %x} (typed as its definition in scope) or {@code %x: T}. */
    private Value input(Map<String, ValueType> scope) {
        if (in.peek().kind() == Token.Kind.UNDERSCORE) {
            in.next();
            return Value.ABSENT;
        }
        Token ref = in.expect(Token.Kind.VALUE, "an input such as %x or _");
        if (in.acceptPunct(':')) return new Value(ref.text(), in.type());
        ValueType type = scope.get(ref.text());
        if (type == null) {
            throw in.error(ref, "undefined value " + Syntax.valueRef(ref.text()) + " (a use before its definition needs a type: "
                    + Syntax.valueRef(ref.text()) + ": T)");
        }
        return new Value(ref.text(), type);
    }

    private Attribute attribute(Map<String, ValueType> scope, Map<String, Integer> opsets) {
        Token t = in.peek();
        if (t.isPunct('[')) return list(scope, opsets);
        Attribute.Kind emptyKind = t.kind() == Token.Kind.IDENT ? EMPTY_LISTS.get(t.text()) : null;
        if (emptyKind != null && in.peek(1).isPunct('[')) {
            in.next();
            in.expectPunct('[');
            in.expectPunct(']');
            return emptyList(emptyKind);
        }
        return single(scope, opsets);
    }

    /** One attribute value that is not a list. */
    private Attribute single(Map<String, ValueType> scope, Map<String, Integer> opsets) {
        Token t = in.peek();
        if (t.kind() == Token.Kind.STRING) return Attribute.of(in.next().text());
        if (t.isWord("graph")) return Attribute.of(graph(scope, opsets));
        if (t.isWord("type")) {
            in.next();
            in.expectPunct('<');
            ValueType type = in.type();
            in.expectPunct('>');
            return Attribute.of(type);
        }
        if (TensorLiteral.startsAt(t)) {
            TensorLiteral literal = TensorLiteral.read(in);
            in.expectPunct(':');
            Token typeAt = in.peek();
            return Attribute.of(literal.build(tensorType(), typeAt, resolver, in));
        }
        if (t.kind() == Token.Kind.NUMBER && t.text().matches("-?\\d+")) {
            in.next();
            try {
                return Attribute.of(Long.parseLong(t.text()));
            } catch (NumberFormatException e) {
                throw in.error(t, t.text() + " does not fit an int64 attribute");
            }
        }
        if (t.kind() == Token.Kind.NUMBER || t.isWord("nan") || t.isWord("inf")) {
            String text = TensorLiteral.scalar(in);
            try {
                return Attribute.of(Float.intBitsToFloat(ElementText.f32Bits(text)));
            } catch (IllegalArgumentException e) {
                throw in.error(t, e.getMessage());
            }
        }
        throw in.expected("an attribute value");
    }

    /** {@code [v, ...]}: the first element's kind is the list's; every element must have it. */
    private Attribute list(Map<String, ValueType> scope, Map<String, Integer> opsets) {
        Token open = in.expectPunct('[');
        List<Attribute> items = new ArrayList<>();
        if (in.peek().isPunct(']')) throw in.error(open, "an empty list needs its kind, e.g. ints[]");
        do {
            Token at = in.peek();
            Attribute item = single(scope, opsets);
            if (!items.isEmpty() && item.kind() != items.getFirst().kind()) {
                throw in.error(at, "list element is " + kindName(item.kind()) + " but the list holds "
                        + kindName(items.getFirst().kind()) + "s");
            }
            items.add(item);
        } while (in.acceptPunct(','));
        in.expectPunct(']');
        return switch (items.getFirst().kind()) {
            case INT -> Attribute.ints(items.stream().mapToLong(Attribute::asInt).toArray());
            case FLOAT -> {
                float[] fs = new float[items.size()];
                for (int i = 0; i < fs.length; i++) fs[i] = items.get(i).asFloat();
                yield Attribute.floats(fs);
            }
            case STRING -> Attribute.strings(items.stream().map(Attribute::asString).toList());
            case TENSOR -> Attribute.tensors(items.stream().map(Attribute::asTensor).toList());
            case GRAPH -> Attribute.graphs(items.stream().map(Attribute::asGraph).toList());
            case TYPE -> Attribute.types(items.stream().map(Attribute::asType).toList());
            default -> throw new IllegalStateException("list of " + items.getFirst().kind());
        };
    }

    private static String kindName(Attribute.Kind kind) { return kind.name().toLowerCase(java.util.Locale.ROOT); }

    private static Attribute emptyList(Attribute.Kind kind) {
        return switch (kind) {
            case INTS -> Attribute.ints();
            case FLOATS -> Attribute.floats();
            case STRINGS -> Attribute.strings(List.of());
            case TENSORS -> Attribute.tensors(List.of());
            case GRAPHS -> Attribute.graphs(List.of());
            default -> Attribute.types(List.of());
        };
    }
}
