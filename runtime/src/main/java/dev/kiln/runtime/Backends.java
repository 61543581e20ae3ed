package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.NodeSupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The one registry of backends on the class path, fastest first. */
public final class Backends {
    private static final List<Backend> ALL = load();

    private Backends() {}

    private static List<Backend> load() {
        List<Backend> found = new ArrayList<>();
        ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(Backend::speedRank).reversed());
        return List.copyOf(found);
    }

    public static List<Backend> all() { return ALL; }

    /** The backend named {@code name}; a one-line error listing the known names otherwise. */
    public static Backend byName(String name) {
        for (Backend b : ALL) {
            if (b.name().equals(name)) return b;
        }
        throw new KilnException("unknown device '" + name + "' (known: "
                + String.join(", ", ALL.stream().map(Backend::name).toList()) + ")");
    }

    /** The nodes of {@code graph} that {@code backend} does not run, each with the reason; empty when it runs all. */
    public static List<String> unsupportedNodes(Backend backend, Graph graph) {
        List<String> problems = new ArrayList<>();
        for (Node node : graph.nodes()) {
            NodeSupport s = backend.supports(node, graph);
            if (!s.supported()) problems.add(node.describe() + ": " + s.reason());
        }
        return problems;
    }
}
