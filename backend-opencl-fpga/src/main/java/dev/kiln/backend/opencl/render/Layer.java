package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node to render, with everything its kernel bakes in: the static shapes of its inputs and output, the
 * graph's constants (weights, pads), the default-domain opset, and the kernel's name. Kernels take sizes as
 * literals rather than arguments because an FPGA compiler can only pipeline and size loops it can count.
 * A value that streams (see {@link StreamPort}) is a pipe argument or a channel instead of a buffer: read or
 * written in order through {@link #read}/{@link #store} where the renderer declared that order, else held whole
 * in a {@code __local} copy under the buffer's own name, filled before the loops or drained after them.
 */
public final class Layer {
    private final Node node;
    private final Map<String, Tensor> constants;
    private final int opset;
    private final String kernelName;
    private final List<String> params = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, StreamPort> ports;
    private final Streaming streaming;
    private final Set<String> inOrder = new LinkedHashSet<>();
    private final Map<String, StreamPort> copiedIn = new LinkedHashMap<>();
    private final Map<String, StreamPort> copiedOut = new LinkedHashMap<>();
    private long onChipUsed;

    public Layer(Node node, Map<String, Tensor> constants, int opset, String kernelName) {
        this(node, constants, opset, kernelName, Map.of(), Streaming.GLOBAL);
    }

    /** A layer whose values named in {@code ports} (as this node names them) stream as {@code streaming} says. */
    public Layer(Node node, Map<String, Tensor> constants, int opset, String kernelName, Map<String, StreamPort> ports,
                 Streaming streaming) {
        this.node = node;
        this.constants = constants;
        this.opset = opset;
        this.kernelName = kernelName;
        this.ports = new LinkedHashMap<>(); // in stream order, so the source reads the same on every render
        ports.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparing(StreamPort::id)))
                .forEach(e -> this.ports.put(e.getKey(), e.getValue()));
        this.streaming = streaming;
    }

    public Node node() { return node; }

    int opset() { return opset; }

    boolean hasInput(int i) { return !node.input(i).isAbsent(); }

    long[] in(int i) { return shape(node.input(i)); }

    long[] out() { return shape(node.output(0)); }

    /** The constant tensor feeding input {@code i}, or null when it is computed or fed at run time. */
    Tensor constant(int i) { return hasInput(i) ? constants.get(node.input(i).name()) : null; }

    long intAttr(String name, long fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    float floatAttr(String name, float fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asFloat();
    }

    String stringAttr(String name, String fallback) {
        Attribute a = node.attribute(name);
        return a == null ? fallback : a.asString();
    }

    /** Declares input {@code i} as the read-only buffer parameter {@code param}, read in any order. */
    void input(int i, String param) {
        String value = node.input(i).name();
        StreamPort port = ports.get(value);
        if (port == null) {
            params.add("__global const float* restrict " + param);
            args.add(value);
        } else {
            if (port.direct()) throw new IllegalStateException(value + " streams in order but is read at random");
            streamParam(value, port, "KILN_STREAM_IN");
            copiedIn.put(param, port);
            onChipUsed += port.elements() * Float.BYTES;
        }
    }

    /** As {@link #input}, for an input the kernel reads exactly once per element in row-major order, through {@link #read}. */
    void inputInOrder(int i, String param) {
        String value = node.input(i).name();
        inOrder.add(value);
        StreamPort port = ports.get(value);
        if (port == null || !port.direct()) {
            input(i, param);
            return;
        }
        streamParam(value, port, "KILN_STREAM_IN");
    }

    /** Declares the output buffer parameter {@code param} (last), written in any order. */
    void output(String param) {
        String value = node.output(0).name();
        StreamPort port = ports.get(value);
        if (port == null) {
            params.add("__global float* restrict " + param);
            args.add(value);
        } else {
            if (port.direct()) throw new IllegalStateException(value + " streams in order but is written at random");
            streamParam(value, port, "KILN_STREAM_OUT");
            copiedOut.put(param, port);
            onChipUsed += port.elements() * Float.BYTES;
        }
    }

    /** As {@link #output}, for a kernel that writes each element once in row-major order, through {@link #store}. */
    void outputInOrder(String param) {
        String value = node.output(0).name();
        inOrder.add(value);
        StreamPort port = ports.get(value);
        if (port == null || !port.direct()) {
            output(param);
            return;
        }
        streamParam(value, port, "KILN_STREAM_OUT");
    }

    /** The expression reading input {@code i} (declared as {@code param}) at {@code index}: its next element when streamed. */
    String read(int i, String param, String index) {
        StreamPort port = ports.get(node.input(i).name());
        return port != null && port.direct() ? "KILN_READ(" + port.id() + ")" : param + "[" + index + "]";
    }

    /** The statement storing {@code value} at {@code index} of the output {@code param}: into the stream when streamed. */
    String store(String param, String index, String value) {
        StreamPort port = ports.get(node.output(0).name());
        return port != null && port.direct() ? "KILN_WRITE(" + port.id() + ", " + value + ");" : param + "[" + index + "] = " + value + ";";
    }

    /** Bytes of this layer's on-chip share already taken by streamed tensors it holds whole. */
    long onChipUsed() { return onChipUsed; }

    /** Whether input {@code i} is held whole on chip (a streamed tensor the kernel reads at random). */
    boolean inputOnChip(int i) {
        StreamPort port = ports.get(node.input(i).name());
        return port != null && !port.direct();
    }

    /** Whether the output streams but is held whole on chip first (the kernel does not write it in order). */
    boolean outputHeldWhole() {
        StreamPort port = ports.get(node.output(0).name());
        return port != null && !port.direct();
    }

    /** A pipe is a kernel argument named by its stream; a channel is no argument at all. */
    private void streamParam(String value, StreamPort port, String macro) {
        if (!streaming.streamsAreArguments()) return;
        params.add(macro + "(" + port.id() + ")");
        args.add(value);
    }

    /** Opens the kernel: a comment naming the node and its shapes, then the signature over the declared buffers. */
    CWriter begin() {
        CWriter c = new CWriter();
        StringBuilder shapes = new StringBuilder();
        for (Value v : node.inputs()) {
            if (v.isAbsent()) continue;
            if (!shapes.isEmpty()) shapes.append(", ");
            shapes.append(Shape.format(shape(v)));
        }
        c.line("/* " + node.describe() + ": " + shapes + " -> " + Shape.format(out()) + " */");
        c.open("__kernel void " + kernelName + "(" + String.join(", ", params) + ")");
        for (StreamPort port : ports.values()) c.line("KILN_STREAM_STATE(" + port.id() + ");");
        copiedOut.forEach((param, port) -> c.line("__local float " + param + "[" + port.elements() + "];"));
        copiedIn.forEach((param, port) -> {
            c.line("__local float " + param + "[" + port.elements() + "];");
            c.loop("kiln_i", port.elements()).line(param + "[kiln_i] = KILN_READ(" + port.id() + ");").close();
        });
        return c;
    }

    KernelSource finish(CWriter c, String description) {
        copiedOut.forEach((param, port) ->
                c.loop("kiln_i", port.elements()).line("KILN_WRITE(" + port.id() + ", " + param + "[kiln_i]);").close());
        c.close();
        return new KernelSource(kernelName, c.toString(), args, description + streams(), inOrder);
    }

    /** For kernel descriptions: which values stream, and which of them the kernel holds whole. */
    private String streams() {
        if (ports.isEmpty()) return "";
        List<String> each = new ArrayList<>();
        ports.forEach((value, port) -> each.add(value + " via " + port.id() + (port.direct() ? "" : " (held whole in __local)")));
        return ", streams " + String.join(", ", each);
    }

    private static long[] shape(Value v) { return v.tensorType().shape().toArray(); }
}
