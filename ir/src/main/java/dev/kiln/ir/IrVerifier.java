package dev.kiln.ir;

import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrPrinter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks a whole graph, subgraphs included, and reports every problem rather than the first: SSA (one
 * definition per name, no shadowing of enclosing graphs), definitions before uses (cycles named), dangling
 * names, known ops with valid input/output counts and attributes, and declared types that agree with each
 * op's type inference.
 */
public final class IrVerifier {
    /** Where a visible name was defined: its type, its value when a constant, and the defining node's index. */
    private record Definition(ValueType type, Tensor constant, int node, String site) {}

    private final OpRegistry registry;

    public IrVerifier(OpRegistry registry) { this.registry = registry; }

    /** A verifier for the ops of {@link OpRegistry#standard()}. */
    public static IrVerifier standard() { return new IrVerifier(OpRegistry.standard()); }

    /** Every problem of {@code graph}; empty when it is valid. */
    public List<IrDiagnostic> verify(Graph graph) {
        List<IrDiagnostic> out = new ArrayList<>();
        verifyGraph(graph, Map.of(), graph.opsets(), "@" + graph.name(), out);
        return out;
    }

    /** Throws {@link IrVerificationException} listing every problem, if there is any. */
    public void verifyOrThrow(Graph graph) {
        List<IrDiagnostic> problems = verify(graph);
        if (!problems.isEmpty()) throw new IrVerificationException(problems);
    }

    private void verifyGraph(Graph g, Map<String, Definition> outer, Map<String, Integer> opsets, String path,
                             List<IrDiagnostic> out) {
        Map<String, Definition> defs = definitions(g, outer, msg -> out.add(new IrDiagnostic(path, msg)));
        Map<String, Definition> scope = new HashMap<>(outer);
        scope.putAll(defs);
        List<Node> nodes = g.nodes();
        List<List<Integer>> consumers = new ArrayList<>();
        List<Set<String>> captures = new ArrayList<>();
        for (Node n : nodes) {
            consumers.add(new ArrayList<>());
            captures.add(captures(n));
        }
        for (int j = 0; j < nodes.size(); j++) {
            for (String name : dependencies(nodes.get(j), captures.get(j))) {
                Definition d = defs.get(name);
                if (d != null && d.node() >= 0) consumers.get(d.node()).add(j);
            }
        }
        DependencyCycles cycles = DependencyCycles.analyze(consumers);
        for (int j = 0; j < nodes.size(); j++) {
            Node n = nodes.get(j);
            List<String> problems = new ArrayList<>();
            checkUses(n, j, captures.get(j), defs, scope, cycles, problems::add);
            OpSchema schema = registry.find(n.domain(), n.op());
            if (schema == null) {
                problems.add(n.describe() + ": unknown op");
            } else {
                NodeSchemaCheck.check(n, schema, opsets, name -> constant(scope, name), name -> type(scope, name), problems::add);
            }
            problems.forEach(msg -> out.add(new IrDiagnostic(path, msg)));
            verifySubgraphs(n, j, scope, opsets, path, out);
        }
        for (List<Integer> cycle : cycles.cycles()) {
            List<String> steps = cycle.stream().map(i -> nodes.get(i).describe()).toList();
            out.add(new IrDiagnostic(path, "cycle: " + String.join(" -> ", steps)));
        }
        for (int i = 0; i < g.outputs().size(); i++) {
            Value o = g.outputs().get(i);
            Definition d = scope.get(o.name());
            if (o.isAbsent()) {
                out.add(new IrDiagnostic(path, "graph output " + i + " has no name"));
            } else if (d == null) {
                out.add(new IrDiagnostic(path, "graph output '" + o.name() + "' is not defined"));
            } else if (!NodeSchemaCheck.compatible(o.type(), d.type())) {
                out.add(new IrDiagnostic(path, "graph output '" + o.name() + "' declared " + IrPrinter.formatType(o.type())
                        + " but defined as " + IrPrinter.formatType(d.type())));
            }
        }
    }

    /** The names this graph defines, first definition first; reports redefinitions, also of enclosing names. */
    private static Map<String, Definition> definitions(Graph g, Map<String, Definition> outer,
                                                       Consumer<String> report) {
        Map<String, Definition> defs = new HashMap<>();
        List<Value> inputs = g.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isAbsent()) {
                report.accept("graph input " + i + " has no name");
                continue;
            }
            define(defs, outer, inputs.get(i).name(), new Definition(inputs.get(i).type(), null, -1, "graph input " + i),
                    "graph input " + i + " '" + inputs.get(i).name() + "'", report);
        }
        g.constants().forEach((name, t) -> define(defs, outer, name, new Definition(t.type(), t, -1, "constant '" + name + "'"),
                "constant '" + name + "'", report));
        for (int j = 0; j < g.nodes().size(); j++) {
            Node n = g.nodes().get(j);
            for (int k = 0; k < n.outputs().size(); k++) {
                Value o = n.outputs().get(k);
                if (o.isAbsent()) continue;
                define(defs, outer, o.name(), new Definition(o.type(), null, j, n.describe()),
                        n.describe() + ": output " + k + " '" + o.name() + "'", report);
            }
        }
        return defs;
    }

    private static void define(Map<String, Definition> defs, Map<String, Definition> outer, String name, Definition d,
                               String what, Consumer<String> report) {
        Definition earlier = defs.putIfAbsent(name, d);
        if (earlier != null) {
            report.accept(what + " is already defined by " + earlier.site());
        } else if (outer.containsKey(name)) {
            report.accept(what + " is already defined in an enclosing graph");
        }
    }

    /** Explicit inputs, then names read by the node's subgraphs from enclosing scopes. */
    private static Set<String> dependencies(Node n, Set<String> captures) {
        Set<String> names = new LinkedHashSet<>();
        for (Value in : n.inputs()) {
            if (!in.isAbsent()) names.add(in.name());
        }
        names.addAll(captures);
        return names;
    }

    private static void checkUses(Node n, int index, Set<String> captures, Map<String, Definition> defs,
                                  Map<String, Definition> scope, DependencyCycles cycles, Consumer<String> report) {
        for (int i = 0; i < n.inputs().size(); i++) {
            Value in = n.inputs().get(i);
            if (in.isAbsent()) continue;
            String what = "input " + i + " '" + in.name() + "'";
            Definition d = scope.get(in.name());
            if (d == null) {
                report.accept(n.describe() + ": " + what + " is not defined");
                continue;
            }
            checkOrder(n, index, what + " is used", defs.get(in.name()), cycles, report);
            if (!in.type().equals(d.type())) {
                report.accept(n.describe() + ": " + what + " is " + IrPrinter.formatType(in.type()) + " here but defined as "
                        + IrPrinter.formatType(d.type()));
            }
        }
        for (String name : captures) {
            checkOrder(n, index, "a subgraph reads '" + name + "'", defs.get(name), cycles, report);
        }
    }

    /** A use of a value that a later node (or this one) defines; uses on a cycle are left to the cycle report. */
    private static void checkOrder(Node n, int index, String what, Definition d, DependencyCycles cycles,
                                   Consumer<String> report) {
        if (d == null || d.node() < index || cycles.onCommonCycle(d.node(), index)) return;
        report.accept(n.describe() + ": " + what + " before " + d.site() + " defines it");
    }

    private void verifySubgraphs(Node n, int index, Map<String, Definition> scope, Map<String, Integer> opsets, String path,
                                 List<IrDiagnostic> out) {
        String owner = path + "/" + (n.name().isEmpty() ? n.op() + "#" + index : n.name());
        for (Map.Entry<String, Attribute> e : n.attributes().entrySet()) {
            Attribute a = e.getValue();
            if (a.kind() == Attribute.Kind.GRAPH) {
                verifyNested(a.asGraph(), scope, opsets, owner + "." + e.getKey(), out);
            } else if (a.kind() == Attribute.Kind.GRAPHS) {
                List<Graph> graphs = a.asGraphs();
                for (int k = 0; k < graphs.size(); k++) verifyNested(graphs.get(k), scope, opsets, owner + "." + e.getKey() + "[" + k + "]", out);
            }
        }
    }

    /** A subgraph imports its parent's opsets unless it lists its own. */
    private void verifyNested(Graph sub, Map<String, Definition> scope, Map<String, Integer> opsets, String path,
                              List<IrDiagnostic> out) {
        verifyGraph(sub, scope, sub.opsets().isEmpty() ? opsets : sub.opsets(), path, out);
    }

    private static Tensor constant(Map<String, Definition> scope, String name) {
        Definition d = scope.get(name);
        return d == null ? null : d.constant();
    }

    private static ValueType type(Map<String, Definition> scope, String name) {
        Definition d = scope.get(name);
        return d == null ? null : d.type();
    }

    /** Names the node's subgraphs read but do not define: values of this or enclosing graphs. */
    private static Set<String> captures(Node n) {
        Set<String> free = new HashSet<>();
        for (Attribute a : n.attributes().values()) {
            if (a.kind() == Attribute.Kind.GRAPH) free.addAll(freeNames(a.asGraph()));
            if (a.kind() == Attribute.Kind.GRAPHS) a.asGraphs().forEach(g -> free.addAll(freeNames(g)));
        }
        return free;
    }

    private static Set<String> freeNames(Graph g) {
        Set<String> used = new HashSet<>();
        for (Node n : g.nodes()) {
            for (Value in : n.inputs()) {
                if (!in.isAbsent()) used.add(in.name());
            }
            used.addAll(captures(n));
        }
        for (Value o : g.outputs()) used.add(o.name());
        used.removeAll(g.valuesByName().keySet());
        return used;
    }
}
