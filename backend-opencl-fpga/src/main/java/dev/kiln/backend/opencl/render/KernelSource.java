package dev.kiln.backend.opencl.render;

import java.util.List;
import java.util.Set;

/**
 * One rendered kernel: its OpenCL C {@code source} defines {@code __kernel void name(...)} whose buffer
 * parameters are the graph values {@code args}, in order, the node's output last. {@code description} is what
 * {@code kiln run --explain} shows for the node. {@code inOrder} names the values among {@code args} the kernel
 * reads (or writes) exactly once per element in row-major order — the ones that can stream without a local copy.
 */
public record KernelSource(String name, String source, List<String> args, String description, Set<String> inOrder) {
    public KernelSource {
        args = List.copyOf(args);
        inOrder = Set.copyOf(inOrder);
    }

    /** A kernel that accesses its buffers in no declared order. */
    public KernelSource(String name, String source, List<String> args, String description) {
        this(name, source, args, description, Set.of());
    }
}
