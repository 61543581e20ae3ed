package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;

/**
 * A group of fast CPU kernels (GEMM, convolution, elementwise…), found with {@link java.util.ServiceLoader}.
 * Binding happens once, at compile time, so a family can pack weights and choose a kernel for the node's types.
 */
public interface CpuKernelFamily {
    /** A step that runs {@code node} fast, or null when this family does not handle it (op, dtype, attributes). */
    Step bind(Node node, Graph graph, Slots slots, CpuContext context);
}
