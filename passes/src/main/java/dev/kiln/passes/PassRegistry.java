package dev.kiln.passes;

import java.util.Collection;
import java.util.Collections;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.Map;

/** The one registry of passes, by name. */
public final class PassRegistry {
    private static final Map<String, Pass> ALL = load();

    private PassRegistry() {}

    private static Map<String, Pass> load() {
        Map<String, Pass> all = new TreeMap<>();
        for (Pass p : ServiceLoader.load(Pass.class, PassRegistry.class.getClassLoader())) {
            if (!p.name().matches("[a-z]+(-[a-z0-9]+)*")) throw new IllegalStateException("pass name '" + p.name() + "' is not kebab-case");
            if (all.put(p.name(), p) != null) throw new IllegalStateException("pass " + p.name() + " registered twice");
        }
        return Collections.unmodifiableMap(all);
    }

    /** The pass named {@code name}; a one-line error listing the known names otherwise. */
    public static Pass byName(String name) {
        Pass p = ALL.get(name);
        if (p == null) throw new IllegalArgumentException("unknown pass '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        return p;
    }

    public static Collection<Pass> all() { return ALL.values(); }
}
