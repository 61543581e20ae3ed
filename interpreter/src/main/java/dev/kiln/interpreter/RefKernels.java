package dev.kiln.interpreter;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The one table of reference kernels, by qualified op name. */
public final class RefKernels {
    private static final Map<String, Kernel> ALL = load();

    private RefKernels() {}

    private static Map<String, Kernel> load() {
        Map<String, Kernel> all = new TreeMap<>();
        for (KernelFamily family : ServiceLoader.load(KernelFamily.class, RefKernels.class.getClassLoader())) {
            family.kernels().forEach((op, k) -> {
                if (all.put(op, k) != null) throw new IllegalStateException("kernel for " + op + " registered twice");
            });
        }
        return Collections.unmodifiableMap(all);
    }

    /** The kernel for a qualified op name, or null. */
    public static Kernel find(String qualifiedOp) { return ALL.get(qualifiedOp); }

    public static Map<String, Kernel> all() { return ALL; }

    /** Why the interpreter cannot run {@code node}, its subgraph bodies included; null when it can. */
    public static String unsupportedReason(Node node) {
        if (find(node.qualifiedOp()) == null) return "no reference kernel for " + node.qualifiedOp();
        for (Attribute a : node.attributes().values()) {
            List<Graph> bodies = a.kind() == Attribute.Kind.GRAPH ? List.of(a.asGraph())
                    : a.kind() == Attribute.Kind.GRAPHS ? a.asGraphs() : List.of();
            for (Graph body : bodies) {
                for (Node inner : body.nodes()) {
                    String reason = unsupportedReason(inner);
                    if (reason != null) return "subgraph " + inner.describe() + ": " + reason;
                }
            }
        }
        return null;
    }
}
