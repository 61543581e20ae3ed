package dev.kiln.frontend.onnx;

import java.util.HashMap;
import java.util.Map;

/**
 * The value names defined so far in a graph, reading through to the enclosing graphs. It enforces what the IR
 * relies on: every name is defined once (across nesting), and defined before it is used.
 */
final class ValueScope {
    private final ValueScope parent;
    private final Map<String, String> definers = new HashMap<>();

    ValueScope(ValueScope parent) { this.parent = parent; }

    /** Records that {@code definer} (e.g. {@code node 'x' (Relu)}) defines {@code name}. */
    void define(String name, String definer) {
        String previous = definerOf(name);
        if (previous != null) {
            throw new InvalidModelException("value '" + name + "' is defined twice: by " + previous + " and by " + definer);
        }
        definers.put(name, definer);
    }

    boolean isVisible(String name) { return definerOf(name) != null; }

    private String definerOf(String name) {
        for (ValueScope s = this; s != null; s = s.parent) {
            String d = s.definers.get(name);
            if (d != null) return d;
        }
        return null;
    }
}
