package dev.kiln.interpreter;

import java.util.Collections;
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
}
