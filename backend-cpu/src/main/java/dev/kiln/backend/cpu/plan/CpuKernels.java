package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;

import java.util.List;
import java.util.ServiceLoader;

/** The one registry of fast CPU kernel families; a node none of them binds runs as a {@link GenericStep}. */
public final class CpuKernels {
    private static final List<CpuKernelFamily> FAMILIES = ServiceLoader.load(CpuKernelFamily.class, CpuKernels.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private CpuKernels() {}

    /** The fast step for {@code node}, or the interpreter's generic one. */
    static Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        for (CpuKernelFamily family : FAMILIES) {
            Step step = family.bind(node, graph, slots, context);
            if (step != null) return step;
        }
        return new GenericStep(node, graph, slots);
    }
}
