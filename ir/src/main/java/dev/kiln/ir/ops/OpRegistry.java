package dev.kiln.ir.ops;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The one registry of ops the IR knows, keyed by qualified name ({@code Conv}, {@code ai.onnx.ml:Binarizer}). */
public final class OpRegistry {
    private static final OpRegistry STANDARD = load();

    private final Map<String, OpSchema> schemas;

    private OpRegistry(Map<String, OpSchema> schemas) { this.schemas = Collections.unmodifiableMap(schemas); }

    /** Every op schema of every family on the class path. */
    public static OpRegistry standard() { return STANDARD; }

    private static OpRegistry load() {
        Map<String, OpSchema> all = new TreeMap<>();
        for (OpFamily family : ServiceLoader.load(OpFamily.class, OpRegistry.class.getClassLoader())) {
            for (OpSchema s : family.schemas()) {
                OpSchema previous = all.put(s.qualifiedName(), s);
                if (previous != null) throw new IllegalStateException("op " + s.qualifiedName() + " registered twice");
            }
        }
        return new OpRegistry(all);
    }

    /** The schema of {@code op} in {@code domain} ({@code ""} or {@code ai.onnx} is the default domain), or null. */
    public OpSchema find(String domain, String op) {
        String d = domain.equals("ai.onnx") ? "" : domain;
        return schemas.get(d.isEmpty() ? op : d + ":" + op);
    }

    public Collection<OpSchema> all() { return schemas.values(); }
}
