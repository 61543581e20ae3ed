package dev.kiln.ir.text;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints a {@link Graph} as IR text, which {@link IrParser} reads back to an equal graph (and printing that
 * again gives the same bytes). Tensors of at most {@link #INLINE_LIMIT} elements print inline; larger ones
 * print as {@code resource<sha256:...>} references to be resolved by content hash when parsing.
 *
 * <p>A node input prints with its type ({@code %x: f32[2]}) only when the type is not the one its name was last
 * defined with at that point, so graphs with dangling or out-of-order uses still print exactly.
 */
public final class IrPrinter {
    /** Tensors with at most this many elements print their values; larger ones print their content hash. */
    public static final int INLINE_LIMIT = 16;

    private final StringBuilder out = new StringBuilder();

    private IrPrinter() {}

    public static String print(Graph graph) {
        IrPrinter p = new IrPrinter();
        p.graph(graph, 0, Map.of(), null);
        return p.out.append('\n').toString();
    }

    /** The text form of a type: {@code f32[batch,3,?]}, {@code i64[*]}, {@code seq<opt<f32[]>>}. */
    public static String formatType(ValueType type) {
        return switch (type) {
            case TensorType t -> t.dtype().shortName() + formatShape(t.shape());
            case SequenceType s -> "seq<" + formatType(s.element()) + ">";
            case OptionalType o -> "opt<" + formatType(o.element()) + ">";
        };
    }

    static String formatShape(Shape shape) {
        if (!shape.hasRank()) return "[*]";
        StringBuilder b = new StringBuilder("[");
        List<Dim> dims = shape.dims();
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) b.append(',');
            Dim d = dims.get(i);
            b.append(d.isSymbolic() ? Syntax.word(d.symbol()) : d.toString());
        }
        return b.append(']').toString();
    }

    /** A tensor as IR text writes it: {@code dense<[1, 2]>} or {@code resource<sha256:...>}. */
    public static String formatTensor(Tensor t) {
        if (t.size() > INLINE_LIMIT) return "resource<sha256:" + t.contentHash() + ">";
        StringBuilder b = new StringBuilder("dense<[");
        for (int i = 0; i < t.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(ElementText.format(t, i));
        }
        return b.append("]>").toString();
    }

    /** {@code %name: type}, or {@code _} for an absent value. */
    private static String typed(Value v) { return v.isAbsent() ? "_" : Syntax.valueRef(v.name()) + ": " + formatType(v.type()); }

    /**
     * Prints {@code g} at {@code depth}. {@code visible} maps names defined in enclosing graphs to their types;
     * {@code parentOpsets} is null for the top-level graph; a subgraph prints its opsets only when they differ
     * from its parent's.
     */
    private void graph(Graph g, int depth, Map<String, ValueType> visible, Map<String, Integer> parentOpsets) {
        out.append("graph ").append(Syntax.graphRef(g.name())).append('(');
        join(g.inputs(), IrPrinter::typed);
        out.append(") -> (");
        join(g.outputs(), IrPrinter::typed);
        out.append(") {\n");
        Map<String, ValueType> scope = new HashMap<>(visible);
        for (Value in : g.inputs()) {
            if (!in.isAbsent()) scope.put(in.name(), in.type());
        }
        if (parentOpsets == null ? !g.opsets().isEmpty() : !g.opsets().equals(parentOpsets)) {
            indent(depth + 1).append("opsets {");
            int i = 0;
            for (Map.Entry<String, Integer> e : g.opsets().entrySet()) {
                if (i++ > 0) out.append(", ");
                out.append(Syntax.quote(e.getKey())).append(": ").append(e.getValue());
            }
            out.append("}\n");
        }
        for (Map.Entry<String, Tensor> c : g.constants().entrySet()) {
            Tensor t = c.getValue();
            indent(depth + 1).append("const ").append(Syntax.valueRef(c.getKey())).append(": ")
                    .append(formatType(t.type())).append(" = ").append(formatTensor(t)).append('\n');
            scope.put(c.getKey(), t.type());
        }
        for (Node n : g.nodes()) {
            node(n, depth + 1, scope, g.opsets());
            for (Value o : n.outputs()) {
                if (!o.isAbsent()) scope.put(o.name(), o.type());
            }
        }
        indent(depth).append('}');
    }

    private void node(Node n, int depth, Map<String, ValueType> scope, Map<String, Integer> opsets) {
        indent(depth);
        if (!n.outputs().isEmpty()) {
            join(n.outputs(), IrPrinter::typed);
            out.append(" = ");
        }
        if (!n.domain().isEmpty()) out.append(Syntax.opWord(n.domain())).append(':');
        out.append(Syntax.opWord(n.op())).append('(');
        join(n.inputs(), v -> {
            if (v.isAbsent()) return "_";
            return v.type().equals(scope.get(v.name())) ? Syntax.valueRef(v.name()) : typed(v);
        });
        out.append(')');
        if (!n.attributes().isEmpty()) attributes(n.attributes(), depth, scope, opsets);
        if (!n.name().isEmpty()) out.append(" name ").append(Syntax.quote(n.name()));
        out.append('\n');
    }

    /** Attributes inline ({@code {a = 1, b = [2, 3]}}), or one per line when a subgraph is among them. */
    private void attributes(Map<String, Attribute> attrs, int depth, Map<String, ValueType> scope,
                            Map<String, Integer> opsets) {
        boolean multiline = attrs.values().stream()
                .anyMatch(a -> a.kind() == Attribute.Kind.GRAPH || a.kind() == Attribute.Kind.GRAPHS && !a.asGraphs().isEmpty());
        out.append(" {");
        int i = 0;
        for (Map.Entry<String, Attribute> e : attrs.entrySet()) {
            if (i++ > 0) out.append(',');
            if (multiline) {
                out.append('\n');
                indent(depth + 1);
            } else if (i > 1) {
                out.append(' ');
            }
            out.append(Syntax.word(e.getKey())).append(" = ");
            attribute(e.getValue(), depth + 1, scope, opsets);
        }
        if (multiline) {
            out.append('\n');
            indent(depth);
        }
        out.append('}');
    }

    private void attribute(Attribute a, int depth, Map<String, ValueType> scope, Map<String, Integer> opsets) {
        switch (a.kind()) {
            case INT -> out.append(a.asInt());
            case FLOAT -> out.append(floatText(a.asFloat()));
            case STRING -> out.append(Syntax.quote(a.asString()));
            case TENSOR -> out.append(tensorAttribute(a.asTensor()));
            case TYPE -> out.append(typeAttribute(a.asType()));
            case GRAPH -> graph(a.asGraph(), depth, scope, opsets);
            case INTS -> list("ints", a.asInts().length, k -> Long.toString(a.asInts()[k]));
            case FLOATS -> {
                float[] fs = a.asFloats();
                list("floats", fs.length, k -> floatText(fs[k]));
            }
            case STRINGS -> list("strings", a.asStrings().size(), k -> Syntax.quote(a.asStrings().get(k)));
            case TENSORS -> list("tensors", a.asTensors().size(), k -> tensorAttribute(a.asTensors().get(k)));
            case TYPES -> list("types", a.asTypes().size(), k -> typeAttribute(a.asTypes().get(k)));
            case GRAPHS -> graphList(a.asGraphs(), depth, scope, opsets);
        }
    }

    static String floatText(float f) { return ElementText.f32(Float.floatToRawIntBits(f)); }

    private static String tensorAttribute(Tensor t) { return formatTensor(t) + " : " + formatType(t.type()); }

    private static String typeAttribute(ValueType t) { return "type<" + formatType(t) + ">"; }

    /** {@code [a, b]}; an empty list names its kind ({@code ints[]}) so it parses back to the same kind. */
    private void list(String kind, int size, java.util.function.IntFunction<String> element) {
        if (size == 0) {
            out.append(kind).append("[]");
            return;
        }
        out.append('[');
        for (int k = 0; k < size; k++) {
            if (k > 0) out.append(", ");
            out.append(element.apply(k));
        }
        out.append(']');
    }

    private void graphList(List<Graph> graphs, int depth, Map<String, ValueType> scope, Map<String, Integer> opsets) {
        if (graphs.isEmpty()) {
            out.append("graphs[]");
            return;
        }
        out.append('[');
        for (int k = 0; k < graphs.size(); k++) {
            out.append(k > 0 ? ",\n" : "\n");
            indent(depth + 1);
            graph(graphs.get(k), depth + 1, scope, opsets);
        }
        out.append('\n');
        indent(depth).append(']');
    }

    private <T> void join(List<T> items, Function<T, String> text) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) out.append(", ");
            out.append(text.apply(items.get(i)));
        }
    }

    private StringBuilder indent(int depth) { return out.append("  ".repeat(depth)); }
}
