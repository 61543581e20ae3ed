package dev.kiln.ir.dot;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.text.IrPrinter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a graph as Graphviz DOT: nodes are boxes labelled with op and name, graph inputs, outputs and
 * constants have shapes of their own, and edges carry the type of the value they pass. Subgraphs of If, Loop
 * and Scan are clusters; their outputs feed the owning node along dashed edges, and the values they read from
 * enclosing graphs arrive along ordinary edges. Edges follow names, so out-of-order uses draw as they are. A name that nothing defines shows as a red "undefined" node.
 */
public final class IrDot {
    private final StringBuilder out = new StringBuilder();
    /** Edges go after every node: an edge written inside a cluster would pull its end nodes into the cluster. */
    private final StringBuilder edges = new StringBuilder();
    private int graphCount;
    private int undefinedCount;

    private IrDot() {}

    public static String toDot(Graph graph) {
        IrDot dot = new IrDot();
        dot.out.append("digraph ").append(quote(graph.name())).append(" {\n");
        dot.out.append("  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
        dot.graph(graph, Map.of(), "  ");
        return dot.out.append(dot.edges).append("}\n").toString();
    }

    /** Writes the contents of {@code g}; {@code visible} maps names of enclosing graphs to their DOT ids. */
    private void graph(Graph g, Map<String, String> visible, String indent) {
        String prefix = "g" + graphCount++ + "_";
        Map<String, String> own = new HashMap<>(); // the first definition of each name in this graph
        for (int i = 0; i < g.inputs().size(); i++) {
            Value in = g.inputs().get(i);
            String id = prefix + "in" + i;
            declare(indent, id, "invhouse", in.isAbsent() ? "_" : in.name() + "\n" + IrPrinter.formatType(in.type()));
            own.putIfAbsent(in.name(), id);
        }
        int c = 0;
        for (var e : g.constants().entrySet()) {
            String id = prefix + "c" + c++;
            declare(indent, id, "cylinder", e.getKey() + "\n" + IrPrinter.formatType(e.getValue().type()));
            own.putIfAbsent(e.getKey(), id);
        }
        List<Node> nodes = g.nodes();
        for (int j = 0; j < nodes.size(); j++) {
            for (Value o : nodes.get(j).outputs()) {
                if (!o.isAbsent()) own.putIfAbsent(o.name(), prefix + "n" + j);
            }
        }
        Map<String, String> scope = new HashMap<>(visible);
        scope.putAll(own);
        for (int j = 0; j < nodes.size(); j++) {
            Node n = nodes.get(j);
            String id = prefix + "n" + j;
            declare(indent, id, "box", n.qualifiedOp() + (n.name().isEmpty() ? "" : "\n" + n.name()));
            for (Value in : n.inputs()) {
                if (!in.isAbsent()) edge(source(scope, in.name()), id, in.type());
            }
            subgraphs(n, id, scope, indent);
        }
        for (int i = 0; i < g.outputs().size(); i++) {
            Value o = g.outputs().get(i);
            String id = prefix + "out" + i;
            declare(indent, id, "house", o.isAbsent() ? "_" : o.name());
            if (!o.isAbsent()) edge(source(scope, o.name()), id, o.type());
        }
    }

    private void subgraphs(Node n, String ownerId, Map<String, String> scope, String indent) {
        String owner = n.name().isEmpty() ? n.qualifiedOp() : n.name();
        for (Map.Entry<String, Attribute> e : n.attributes().entrySet()) {
            Attribute a = e.getValue();
            if (a.kind() == Attribute.Kind.GRAPH) {
                cluster(a.asGraph(), owner + "." + e.getKey(), ownerId, scope, indent);
            } else if (a.kind() == Attribute.Kind.GRAPHS) {
                List<Graph> graphs = a.asGraphs();
                for (int k = 0; k < graphs.size(); k++) {
                    cluster(graphs.get(k), owner + "." + e.getKey() + "[" + k + "]", ownerId, scope, indent);
                }
            }
        }
    }

    private void cluster(Graph sub, String label, String ownerId, Map<String, String> scope, String indent) {
        int first = graphCount;
        out.append(indent).append("subgraph cluster_g").append(first).append(" {\n");
        out.append(indent).append("  label=").append(quote(label)).append(";\n");
        out.append(indent).append("  style=rounded;\n");
        graph(sub, scope, indent + "  ");
        out.append(indent).append("}\n");
        for (int i = 0; i < sub.outputs().size(); i++) {
            edges.append("  g").append(first).append("_out").append(i).append(" -> ").append(ownerId).append(" [style=dashed];\n");
        }
    }

    /** The DOT id of the definition of {@code name}; an undefined name gets a red node of its own. */
    private String source(Map<String, String> scope, String name) {
        String id = scope.get(name);
        if (id != null) return id;
        id = "undefined" + undefinedCount++;
        edges.append("  ").append(id).append(" [shape=plaintext, fontcolor=red, label=").append(quote(name + "\n(undefined)"))
                .append("];\n");
        return id;
    }

    private void declare(String indent, String id, String shape, String label) {
        out.append(indent).append(id).append(" [shape=").append(shape).append(", label=").append(quote(label)).append("];\n");
    }

    private void edge(String from, String to, ValueType type) {
        edges.append("  ").append(from).append(" -> ").append(to).append(" [label=")
                .append(quote(IrPrinter.formatType(type))).append("];\n");
    }

    /** A DOT string: backslash and quote escaped (DOT reads {@code \n} in labels as a line break). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.append('"').toString();
    }
}
