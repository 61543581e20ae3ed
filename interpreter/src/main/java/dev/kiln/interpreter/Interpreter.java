package dev.kiln.interpreter;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a graph node by node in its topological order with the reference kernels. Each graph run gets a scope of
 * named values; a subgraph's scope reads through to its parent's, which is how If, Loop and Scan bodies see
 * outer values. Intermediate values are dropped after their last use, so large models fit in memory.
 */
public final class Interpreter {
    private Interpreter() {}

    /** Name → value bindings of one graph run, reading through to the enclosing graph's. */
    static final class Scope {
        private final Map<String, RuntimeValue> values = new HashMap<>();
        private final Scope parent;
        /** Values held outside the interpreter (another backend's frame), read when no scope has the name. */
        private final Function<String, RuntimeValue> outer;

        Scope(Scope parent) { this(parent, name -> null); }

        private Scope(Scope parent, Function<String, RuntimeValue> outer) {
            this.parent = parent;
            this.outer = outer;
        }

        RuntimeValue get(String name) {
            Scope s = this;
            for (; ; s = s.parent) {
                RuntimeValue v = s.values.get(name);
                if (v != null) return v;
                if (s.parent == null) return s.outer.apply(name);
            }
        }

        void put(String name, RuntimeValue v) { values.put(name, v); }

        void remove(String name) { values.remove(name); }
    }

    /** Runs a top-level graph. */
    public static Map<String, RuntimeValue> run(Graph graph, Map<String, RuntimeValue> inputs) {
        Scope scope = new Scope(null);
        for (Value in : graph.inputs()) {
            RuntimeValue v = inputs.get(in.name());
            if (v == null) throw new KilnException("missing input '" + in.name() + "'");
            scope.put(in.name(), v);
        }
        execute(graph, scope);
        Map<String, RuntimeValue> out = new HashMap<>();
        for (Value o : graph.outputs()) out.put(o.name(), lookup(scope, o.name(), graph));
        return out;
    }

    /**
     * Runs one node of {@code graph} on its input values ({@code null} for absent ones) and returns its outputs: how
     * a faster backend runs an op it has no kernel for. {@code outer} resolves the values of {@code graph} that a
     * subgraph body (If, Loop, Scan) reads.
     */
    public static List<RuntimeValue> runNode(Node node, Graph graph, List<RuntimeValue> args, Function<String, RuntimeValue> outer) {
        return runKernel(node, graph, args, new Scope(null, outer));
    }

    static List<RuntimeValue> runNested(Graph body, List<RuntimeValue> args, Scope parent) {
        if (args.size() != body.inputs().size()) {
            throw new KernelException("subgraph '" + body.name() + "' takes " + body.inputs().size() + " inputs, got " + args.size());
        }
        Scope scope = new Scope(parent);
        for (int i = 0; i < args.size(); i++) scope.put(body.inputs().get(i).name(), args.get(i));
        execute(body, scope);
        List<RuntimeValue> out = new ArrayList<>(body.outputs().size());
        for (Value o : body.outputs()) out.add(lookup(scope, o.name(), body));
        return out;
    }

    private static void execute(Graph graph, Scope scope) {
        graph.constants().forEach(scope::put);
        Map<String, Integer> lastUse = lastUses(graph);
        List<Node> nodes = graph.nodes();
        for (int index = 0; index < nodes.size(); index++) {
            Node node = nodes.get(index);
            if (Thread.currentThread().isInterrupted()) {
                throw new KilnException(node.describe() + ": run cancelled (time limit)");
            }
            List<RuntimeValue> args = new ArrayList<>(node.inputs().size());
            for (Value in : node.inputs()) args.add(in.isAbsent() ? null : lookup(scope, in.name(), graph));
            List<RuntimeValue> results = runKernel(node, graph, args, scope);
            for (int i = 0; i < node.outputs().size(); i++) {
                Value out = node.outputs().get(i);
                if (!out.isAbsent() && results.get(i) != null) scope.put(out.name(), results.get(i));
            }
            for (Value in : node.inputs()) {
                if (!in.isAbsent() && lastUse.getOrDefault(in.name(), -1) == index) scope.remove(in.name());
            }
        }
    }

    private static List<RuntimeValue> runKernel(Node node, Graph graph, List<RuntimeValue> args, Scope scope) {
        Kernel kernel = RefKernels.find(node.qualifiedOp());
        if (kernel == null) throw new KilnException(node.describe() + ": no reference kernel for op " + node.qualifiedOp());
        List<RuntimeValue> results;
        try {
            results = kernel.run(new KernelContext(node, args, graph.opset(node.domain()), scope, graph));
        } catch (KernelException | KilnException e) {
            throw e instanceof KilnException k ? k : new KilnException(e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new KilnException(node.describe() + ": nesting too deep", e);
        } catch (RuntimeException e) {
            throw new KilnException(node.describe() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        if (results.size() < node.outputs().size()) {
            throw new KilnException(node.describe() + ": kernel returned " + results.size() + " of "
                    + node.outputs().size() + " outputs");
        }
        return results;
    }

    private static RuntimeValue lookup(Scope scope, String name, Graph graph) {
        RuntimeValue v = scope.get(name);
        if (v == null) throw new KilnException("graph '" + graph.name() + "': value '" + name + "' is not defined");
        return v;
    }

    /**
     * For each value this graph may drop: the index of the last node reading it. Graph outputs, constants and
     * values read by subgraphs (which may run later than their node's position suggests) are never dropped.
     */
    private static Map<String, Integer> lastUses(Graph graph) {
        Map<String, Integer> last = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value in : nodes.get(i).inputs()) {
                if (!in.isAbsent()) last.put(in.name(), i);
            }
        }
        for (Value o : graph.outputs()) last.remove(o.name());
        for (String c : graph.constants().keySet()) last.remove(c);
        for (Value in : graph.inputs()) last.remove(in.name());
        for (Node n : nodes) {
            if (n.attributes().values().stream().anyMatch(a -> a.kind() == dev.kiln.ir.Attribute.Kind.GRAPH
                    || a.kind() == dev.kiln.ir.Attribute.Kind.GRAPHS)) {
                return Map.of(); // captures are not tracked here: keep everything alive in graphs with subgraphs
            }
        }
        return last;
    }
}
