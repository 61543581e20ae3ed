package dev.kiln.passes.memory;

import dev.kiln.ir.Node;

import java.util.Set;

/**
 * Ops a backend may run as a view: the output is the input's bytes under another shape, so it takes no buffer of
 * its own and its input's buffer must live as long as the view is read. The CPU and OpenCL backends run these as
 * views; a backend that copies instead only keeps a buffer alive longer than it needed.
 */
final class ViewOps {
    private static final Set<String> OPS = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    private ViewOps() {}

    static boolean isView(Node node) {
        return node.domain().isEmpty() && node.outputs().size() == 1 && !node.inputs().isEmpty() && OPS.contains(node.op());
    }
}
