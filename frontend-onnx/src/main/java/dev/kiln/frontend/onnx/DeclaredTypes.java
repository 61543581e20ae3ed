package dev.kiln.frontend.onnx;

import dev.kiln.ir.ValueType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The types a model states for values (value_info and graph outputs, in every graph), by value name. Sibling
 * subgraphs (If's branches) may reuse a name; when they state different types for it, neither is kept and
 * inference alone decides.
 */
final class DeclaredTypes {
    private final Map<String, ValueType> types = new HashMap<>();
    private final Set<String> conflicting = new HashSet<>();

    void declare(String name, ValueType type) {
        if (conflicting.contains(name)) return;
        ValueType previous = types.putIfAbsent(name, type);
        if (previous != null && !previous.equals(type)) {
            types.remove(name);
            conflicting.add(name);
        }
    }

    /** The stated type, or null. */
    ValueType get(String name) { return types.get(name); }
}
