package dev.kiln.passes.memory;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.passes.GraphUses;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a plan read back from a graph's annotations, with lifetimes recomputed here rather than taken from the
 * planner: no two buffers live at the same node share a byte, except an elementwise node's output written over the
 * input that dies at that very node; offsets are aligned; graph inputs, outputs and constants are not planned. A
 * view's reads count as reads of the buffer it views.
 */
final class ArenaOverlapCheck {
    private ArenaOverlapCheck() {}

    static void assertSound(Graph graph, MemoryPlan plan) {
        // A view's reads are reads of the buffer it views (ViewOps), and a view that is a graph output is read at the end.
        Map<String, String> root = new HashMap<>();
        Map<String, Integer> lastRead = new HashMap<>();
        Set<String> outputs = new HashSet<>();
        graph.outputs().forEach(v -> outputs.add(v.name()));
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node node = graph.nodes().get(i);
            for (String name : GraphUses.namesRead(node)) lastRead.merge(root.getOrDefault(name, name), i, Math::max);
            if (ViewOps.isView(node)) {
                String viewed = root.getOrDefault(node.input(0).name(), node.input(0).name());
                root.put(node.output(0).name(), viewed);
                if (outputs.contains(node.output(0).name())) lastRead.put(viewed, graph.nodes().size());
            }
        }
        Set<String> external = new HashSet<>(graph.constants().keySet());
        graph.inputs().forEach(v -> external.add(v.name()));
        graph.outputs().forEach(v -> external.add(v.name()));
        List<MemoryPlan.Buffer> buffers = plan.buffers();
        for (MemoryPlan.Buffer b : buffers) {
            assertFalse(external.contains(b.value()), "graph input, output or constant '" + b.value() + "' is in the arena");
            assertEquals(0, b.offset() % MemoryPlan.ALIGNMENT, "offset of '" + b.value() + "'");
            assertTrue(b.offset() + b.bytes() <= plan.arenaBytes(), "'" + b.value() + "' ends past the arena");
        }
        for (int i = 0; i < buffers.size(); i++) {
            MemoryPlan.Buffer u = buffers.get(i);
            int uLast = lastRead.getOrDefault(u.value(), u.node());
            for (int j = i + 1; j < buffers.size(); j++) {
                MemoryPlan.Buffer v = buffers.get(j);
                int vLast = lastRead.getOrDefault(v.value(), v.node());
                boolean timeOverlap = u.node() <= vLast && v.node() <= uLast;
                boolean spaceOverlap = u.offset() < v.offset() + v.bytes() && v.offset() < u.offset() + u.bytes();
                if (!timeOverlap || !spaceOverlap || u.bytes() == 0 || v.bytes() == 0) continue;
                if (!isInPlace(graph, root, u, uLast, v) && !isInPlace(graph, root, v, vLast, u)) {
                    fail("'" + u.value() + "' (nodes " + u.node() + ".." + uLast + ", bytes " + u.offset() + "+" + u.bytes()
                            + ") and '" + v.value() + "' (nodes " + v.node() + ".." + vLast + ", bytes " + v.offset() + "+"
                            + v.bytes() + ") are live together and overlap");
                }
            }
        }
    }

    /** {@code out} is written over {@code in} by the node where {@code in} is last read, with the same type. */
    private static boolean isInPlace(Graph graph, Map<String, String> root, MemoryPlan.Buffer in, int inLast, MemoryPlan.Buffer out) {
        if (out.node() != inLast || in.offset() != out.offset() || in.bytes() != out.bytes()) return false;
        Node node = graph.nodes().get(out.node());
        Value input = node.inputs().stream().filter(v -> root.getOrDefault(v.name(), v.name()).equals(in.value())).findFirst().orElse(null);
        Value output = node.outputs().stream().filter(v -> v.name().equals(out.value())).findFirst().orElse(null);
        return input != null && output != null && InPlaceOps.canRunInPlace(node) && input.type().equals(output.type());
    }
}
