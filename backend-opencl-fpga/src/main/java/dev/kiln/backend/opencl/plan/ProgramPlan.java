package dev.kiln.backend.opencl.plan;

import dev.kiln.backend.opencl.render.KernelSource;
import dev.kiln.backend.opencl.render.Layer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Renderers;
import dev.kiln.backend.opencl.render.StreamPort;
import dev.kiln.backend.opencl.render.StreamPrelude;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.KernelChoice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A graph with static shapes turned into one OpenCL program: a kernel per node in graph order, and for view nodes
 * no kernel, only the note that their output lives in their input's buffer. One program for the whole model is
 * also the unit an FPGA flow builds into one bitstream. With {@link Streaming} on, the values {@link StreamPlan}
 * picks pass between kernels through pipes or channels; the kernels they join form a stage that must run at once.
 */
public final class ProgramPlan {
    /**
     * One launch: {@code kernel} with the buffers (or pipes) of {@code args} (graph value names), in order.
     * Launches with the same {@code stage} exchange streams and must run concurrently (a queue each); stages run
     * one after another in their number's order. Without streams every launch is its own stage, in graph order.
     */
    public record Launch(String kernel, List<String> args, int stage) {
        public Launch {
            args = List.copyOf(args);
        }
    }

    /** A value passed from launch {@code producer} to launch {@code consumer} through stream {@code id}. */
    public record Stream(String id, String value, int producer, int consumer, long elements, int depth) {}

    private final Graph graph;
    private final String source;
    private final List<Launch> launches;
    private final Map<String, String> views;
    private final List<KernelChoice> choices;
    private final Streaming streaming;
    private final List<Stream> streams;

    private ProgramPlan(Graph graph, String source, List<Launch> launches, Map<String, String> views, List<KernelChoice> choices,
                        Streaming streaming, List<Stream> streams) {
        this.graph = graph;
        this.source = source;
        this.launches = List.copyOf(launches);
        this.views = Map.copyOf(views);
        this.choices = List.copyOf(choices);
        this.streaming = streaming;
        this.streams = List.copyOf(streams);
    }

    /** Renders every node of {@code typed} (static shapes, see {@link Specializer}). */
    public static ProgramPlan render(Graph typed, RenderOptions options) {
        Map<String, String> views = new HashMap<>();
        List<Node> kernelNodes = new ArrayList<>();
        for (Node node : typed.nodes()) {
            if (Renderers.isView(node)) views.put(node.output(0).name(), node.input(0).name());
            else kernelNodes.add(node);
        }
        List<KernelSource> kernels = new ArrayList<>();
        for (int i = 0; i < kernelNodes.size(); i++) kernels.add(render(typed, kernelNodes.get(i), i, Map.of(), Streaming.GLOBAL, options));
        List<StreamPlan.Edge> edges = List.of();
        if (options.streaming().streams()) {
            Set<String> outputRoots = new HashSet<>();
            for (Value out : typed.outputs()) outputRoots.add(root(views, out.name()));
            Map<String, Long> elements = new HashMap<>();
            for (Node node : kernelNodes) {
                // streams and their on-chip copies carry floats; quantized tensors go through global buffers
                if (node.output(0).tensorType().dtype() == DType.F32) {
                    elements.put(node.output(0).name(), node.output(0).tensorType().shape().elementCount());
                }
            }
            edges = StreamPlan.plan(kernels, v -> root(views, v), outputRoots, elements, options);
            Map<Integer, Map<String, StreamPort>> ports = StreamPlan.ports(edges, kernels, v -> root(views, v));
            for (var e : ports.entrySet()) {
                int i = e.getKey();
                kernels.set(i, render(typed, kernelNodes.get(i), i, e.getValue(), options.streaming(), options));
            }
        }
        int[] stages = StreamPlan.stages(kernels.size(), edges);
        List<Stream> streams = new ArrayList<>();
        for (StreamPlan.Edge e : edges) streams.add(new Stream(e.id(), e.value(), e.producer(), e.consumer(), e.elements(), options.streamDepth()));

        StringBuilder source = new StringBuilder("/* Kiln OpenCL kernels for graph '" + typed.name() + "': single work-item each, "
                + (streams.isEmpty() ? "run in this order on one in-order queue. */\n"
                : streams.size() + " values streamed (" + options.streaming() + "); kernels joined by streams run at once. */\n"));
        if (!streams.isEmpty()) source.append(StreamPrelude.of(options.streaming(), streams.stream().map(Stream::id).toList(), options.streamDepth()));
        List<Launch> launches = new ArrayList<>();
        List<KernelChoice> choices = new ArrayList<>();
        int k = 0;
        for (Node node : typed.nodes()) {
            if (Renderers.isView(node)) {
                choices.add(new KernelChoice(node.name(), node.qualifiedOp(), "buffer view (no kernel)", false));
                continue;
            }
            KernelSource kernel = kernels.get(k);
            source.append('\n').append(kernel.source());
            launches.add(new Launch(kernel.name(), kernel.args(), stages[k]));
            String origin = ContribQuantExpansion.origin(node);
            String part = origin == null ? "" : " (part of " + origin + ", run as its Q/DQ expansion)";
            choices.add(new KernelChoice(node.name(), node.qualifiedOp(), kernel.name() + ": " + kernel.description() + part, false));
            k++;
        }
        return new ProgramPlan(typed, source.toString(), launches, views, choices, options.streaming(), streams);
    }

    private static KernelSource render(Graph typed, Node node, int index, Map<String, StreamPort> ports, Streaming streaming,
                                       RenderOptions options) {
        String name = "k" + index + "_" + node.op().toLowerCase(Locale.ROOT);
        try {
            return Renderers.render(new Layer(node, typed.constants(), typed.opset(""), name, ports, streaming), options);
        } catch (RuntimeException e) {
            throw new KilnException(node.describe() + ": cannot render an OpenCL kernel: " + e.getMessage(), e);
        }
    }

    private static String root(Map<String, String> views, String value) {
        String v = value;
        while (views.containsKey(v)) v = views.get(v);
        return v;
    }

    public Graph graph() { return graph; }

    /** The whole program's OpenCL C. */
    public String source() { return source; }

    public List<Launch> launches() { return launches; }

    public List<KernelChoice> choices() { return choices; }

    /** How this program's kernels pass the values in {@link #streams()}; GLOBAL when none stream. */
    public Streaming streaming() { return streams.isEmpty() ? Streaming.GLOBAL : streaming; }

    /** The values passed through pipes or channels, in producer order; empty when all go through global buffers. */
    public List<Stream> streams() { return streams; }

    /** The options to build {@link #source()} with. */
    public String buildOptions() { return streaming().buildOptions(); }

    /** The value whose buffer holds {@code value}: itself, or the input a chain of views reads. */
    public String bufferOf(String value) { return root(views, value); }
}
