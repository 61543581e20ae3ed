package dev.kiln.backend.opencl.offline;

import java.util.List;
import java.util.Map;

/**
 * What a host program needs to run a program built offline from Kiln's kernels (an {@code .aocx}, an
 * {@code .xclbin}, a device binary): which model and input shapes it was built for, every device buffer with its
 * role and size, the kernels in launch order with the buffers they take, where each weight lies in the weights
 * file, the hash of the OpenCL source the binary was built from, and the SHA-256 of the other files written with
 * it ({@code files}: the weights, a build script, a device binary built then). Kiln's own runner checks a binary
 * against it before running; a firmware host can run the model from it and the weights file alone.
 */
public record HostManifest(String graph, String graphHash, String target, List<Port> inputs, List<Port> outputs,
                           List<Buffer> buffers, List<Kernel> kernels, Weights weights, String sourceFile, String sourceSha256,
                           Map<String, String> files) {
    /** The manifest format this version writes and reads. */
    public static final String FORMAT = "kiln-opencl-host-manifest/1";

    public HostManifest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        buffers = List.copyOf(buffers);
        kernels = List.copyOf(kernels);
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }

    /** This manifest listing {@code sha256ByName}, the files written with it. */
    public HostManifest withFiles(Map<String, String> sha256ByName) {
        return new HostManifest(graph, graphHash, target, inputs, outputs, buffers, kernels, weights, sourceFile, sourceSha256, sha256ByName);
    }

    /** A model input or output: its element type and static shape, and the buffer that holds it. */
    public record Port(String name, String dtype, List<Long> shape, String buffer) {
        public Port {
            shape = List.copyOf(shape);
        }
    }

    /** What a buffer holds, which decides who fills it: the host (inputs), the weights file, or the kernels. */
    public enum Role { INPUT, WEIGHT, OUTPUT, INTERMEDIATE }

    /**
     * One device buffer of {@code bytes} bytes (a host allocates at least 4: OpenCL has no empty buffers), and the
     * graph values that are views of it (Reshape, Flatten, ... outputs that share its memory).
     */
    public record Buffer(String name, Role role, String dtype, long bytes, List<String> views) {
        public Buffer {
            views = List.copyOf(views);
        }
    }

    /** One launch, in queue order: a single work-item {@code name} for graph node {@code node}, its buffer arguments in order. */
    public record Kernel(String name, String node, List<String> args) {
        public Kernel {
            args = List.copyOf(args);
        }
    }

    /** The weights file: every weight buffer's little-endian bytes at {@code offset}. */
    public record Weights(String file, long bytes, List<Slice> slices) {
        public Weights {
            slices = List.copyOf(slices);
        }
    }

    public record Slice(String buffer, long offset, long bytes) {}
}
