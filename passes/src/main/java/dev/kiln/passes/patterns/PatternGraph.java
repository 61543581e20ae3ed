package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.GraphUses;
import dev.kiln.passes.PassContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pattern matcher asks of the graph: who produces and who reads a value, the value of a constant (graph
 * constant or Constant node), and where to report a near miss.
 */
public final class PatternGraph {
    /** Relative tolerance for constants matched by value (float32 spellings of irrational numbers). */
    private static final double CONSTANT_RTOL = 1e-5;

    private final Graph graph;
    private final GraphUses uses;
    private final PassContext ctx;
    private final Map<String, Node> producers = new HashMap<>();

    public PatternGraph(Graph graph, PassContext ctx) {
        this.graph = graph;
        this.uses = GraphUses.of(graph);
        this.ctx = ctx;
        for (Node n : graph.nodes()) n.outputs().forEach(v -> { if (!v.isAbsent()) producers.put(v.name(), n); });
    }

    public Graph graph() { return graph; }

    public int opset() { return graph.opset(""); }

    /** The node producing {@code v}, or null for graph inputs, constants and absent values. */
    public Node producer(Value v) { return v.isAbsent() ? null : producers.get(v.name()); }

    /** The producer of {@code v} when it is a node of op {@code op} (default domain), else null. */
    public Node producer(Value v, String op) {
        Node p = producer(v);
        return p != null && p.domain().isEmpty() && p.op().equals(op) ? p : null;
    }

    /** The nodes reading {@code v}, in graph order. */
    public List<Node> readers(Value v) { return uses.readers(v.name()); }

    /** True when {@code v} is read by {@code reader} alone and is not a graph output. */
    public boolean onlyReadBy(Value v, Node reader) {
        return uses.hasSingleReader(v.name()) && uses.readers(v.name()).get(0) == reader;
    }

    /** True when {@code v} has exactly one reader and is not a graph output. */
    public boolean hasSingleReader(Value v) { return uses.hasSingleReader(v.name()); }

    /** True when every reader of {@code v} is one of {@code allowed}, and it is not a graph output. */
    public boolean onlyReadByAny(Value v, Node... allowed) {
        if (uses.isGraphOutput(v.name())) return false;
        for (Node r : uses.readers(v.name())) {
            boolean ok = false;
            for (Node a : allowed) ok |= a == r;
            if (!ok) return false;
        }
        return true;
    }

    /** The single node reading {@code v} when it is a node of op {@code op} and v is not a graph output, else null. */
    public Node soleReader(Value v, String op) {
        if (!uses.hasSingleReader(v.name())) return null;
        Node r = uses.readers(v.name()).get(0);
        return r.domain().isEmpty() && r.op().equals(op) ? r : null;
    }

    /** The compile-time value of {@code v}, or null. */
    public Tensor constant(Value v) {
        if (v.isAbsent()) return null;
        Tensor t = graph.constants().get(v.name());
        if (t != null) return t;
        Node p = producer(v, "Constant");
        Attribute a = p == null ? null : p.attribute("value");
        return a != null && a.kind() == Attribute.Kind.TENSOR ? a.asTensor() : null;
    }

    /** The value of a one-element float constant, or NaN when {@code v} is not one. */
    public double scalar(Value v) {
        Tensor t = constant(v);
        return t != null && t.size() == 1 && t.dtype().isFloat() ? t.getDouble(0) : Double.NaN;
    }

    /** True when {@code v} is a one-element float constant equal to {@code expected} within a float32 tolerance. */
    public boolean isScalar(Value v, double expected) {
        double s = scalar(v);
        return !Double.isNaN(s) && Math.abs(s - expected) <= CONSTANT_RTOL * Math.max(1, Math.abs(expected));
    }

    /** For a binary node with {@code v} as one operand, the other operand (or null when v is neither). */
    public static Value other(Node binary, Value v) {
        if (binary.input(0).name().equals(v.name())) return binary.input(1);
        if (binary.input(1).name().equals(v.name())) return binary.input(0);
        return null;
    }

    public static boolean sameType(Value a, Value b) {
        return a.type() instanceof TensorType ta && b.type() instanceof TensorType tb && ta.equals(tb);
    }

    /** Reports why a pattern anchored at {@code node} did not fire. */
    public void nearMiss(Node node, String message) { ctx.explain(node.name(), message); }
}
