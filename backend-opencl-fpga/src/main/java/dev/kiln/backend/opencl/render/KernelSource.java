package dev.kiln.backend.opencl.render;

import java.util.List;

/**
 * One rendered kernel: its OpenCL C {@code source} defines {@code __kernel void name(...)} whose buffer
 * parameters are the graph values {@code args}, in order, the node's output last. {@code description} is what
 * {@code kiln run --explain} shows for the node.
 */
public record KernelSource(String name, String source, List<String> args, String description) {
    public KernelSource {
        args = List.copyOf(args);
    }
}
