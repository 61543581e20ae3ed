package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;

import java.util.HashMap;
import java.util.Map;

/** The slot of every value name of a graph: inputs, constants, then node outputs in order. */
public final class Slots {
    /** The slot of an absent optional input: steps pass null for it. */
    public static final int ABSENT = -1;

    private final Map<String, Integer> slots = new HashMap<>();

    Slots(Graph graph) {
        graph.inputs().forEach(v -> add(v.name()));
        graph.constants().keySet().forEach(this::add);
        for (Node n : graph.nodes()) n.outputs().stream().filter(v -> !v.isAbsent()).forEach(v -> add(v.name()));
    }

    private void add(String name) { slots.putIfAbsent(name, slots.size()); }

    public int size() { return slots.size(); }

    /** The slot of {@code value}, or {@link #ABSENT} for an absent optional value. */
    public int of(Value value) {
        if (value.isAbsent()) return ABSENT;
        Integer slot = slots.get(value.name());
        if (slot == null) throw new IllegalStateException("value '" + value.name() + "' has no slot");
        return slot;
    }

    /** The slot of {@code name}, or null when the graph defines no such value (a subgraph may read an outer one). */
    Integer find(String name) { return slots.get(name); }

    public int[] of(java.util.List<Value> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = of(values.get(i));
        return out;
    }
}
