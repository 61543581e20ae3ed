package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.render.RenderOptions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host program needs to run a program built offline from Kiln's kernels (an {@code .aocx}, an
 * {@code .xclbin}, a device binary): which model and input shapes it was built for, the program (its source's
 * hash, build options and the render choices that produced it), every device buffer with its role and size, the
 * kernels in launch order with the buffers they take, the streams between them, where each weight lies in the
 * weights file, and the SHA-256 of the other files written with it ({@code files}: the weights, a build script, a
 * device binary built then). Kiln's own runner checks a binary against it before running; a firmware host can run
 * the model from it and the weights file alone.
 */
public record HostManifest(String graph, String graphHash, String target, Program program, List<Port> inputs, List<Port> outputs,
                           List<Buffer> buffers, List<Kernel> kernels, List<Stream> streams, Weights weights, Map<String, String> files) {
    /** The manifest format this version writes and reads. */
    public static final String FORMAT = "kiln-opencl-host-manifest/1";

    public HostManifest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        buffers = List.copyOf(buffers);
        kernels = List.copyOf(kernels);
        streams = List.copyOf(streams);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** This manifest listing {@code sha256ByName}, the files written with it. */
    public HostManifest withFiles(Map<String, String> sha256ByName) {
        return new HostManifest(graph, graphHash, target, program, inputs, outputs, buffers, kernels, streams, weights, sha256ByName);
    }

    /** The render choices, which Kiln's runner renders the plan with again, so its launches are the binary's. */
    public RenderOptions render() { return program.render(); }

    /** The OpenCL program: its source file and hash, the options to build it with, and the choices it was rendered with. */
    public record Program(String sourceFile, String sourceSha256, String buildOptions, RenderOptions render) {}

    /** A model input or output: its element type and static shape, and the buffer that holds it. */
    public record Port(String name, String dtype, List<Long> shape, String buffer) {
        public Port {
            shape = List.copyOf(shape);
        }
    }

    /**
     * What a memory object holds, which decides who fills it: the host (inputs), the weights file, or the kernels.
     * A {@code PIPE} is an OpenCL 2.0 pipe of 4-byte packets ({@code bytes / 4} of them) that only kernels touch.
     */
    public enum Role { INPUT, WEIGHT, OUTPUT, INTERMEDIATE, PIPE }

    /**
     * One device memory object of {@code bytes} bytes (a host allocates at least 4: OpenCL has no empty buffers),
     * and the graph values that are views of it (Reshape, Flatten, ... outputs that share its memory).
     */
    public record Buffer(String name, Role role, String dtype, long bytes, List<String> views) {
        public Buffer {
            views = List.copyOf(views);
        }
    }

    /**
     * One launch, in queue order: a single work-item {@code name} for graph node {@code node}, its buffer arguments in
     * order, and its stage: kernels of one stage exchange streams and run at once, stages run in their number's order.
     */
    public record Kernel(String name, String node, List<String> args, int stage) {
        public Kernel {
            args = List.copyOf(args);
        }
    }

    /** A value passed from kernel {@code producer} to kernel {@code consumer} through channel or pipe {@code id}. */
    public record Stream(String id, String value, String producer, String consumer, long elements, int depth) {}

    /** The weights file: every weight buffer's little-endian bytes at {@code offset}. */
    public record Weights(String file, long bytes, List<Slice> slices) {
        public Weights {
            slices = List.copyOf(slices);
        }
    }

    public record Slice(String buffer, long offset, long bytes) {}
}
