package dev.kiln.backend.opencl.plan;

import dev.kiln.backend.opencl.render.KernelSource;
import dev.kiln.backend.opencl.render.Layer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Renderers;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.KernelChoice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A graph with static shapes turned into one OpenCL program: a kernel per node in graph order (the order the
 * queue runs them), and for view nodes no kernel, only the note that their output lives in their input's
 * buffer. One program for the whole model is also the unit an FPGA flow builds into one bitstream.
 */
public final class ProgramPlan {
    /** One launch: {@code kernel} with the buffers of {@code args} (graph value names), in order. */
    public record Launch(String kernel, List<String> args) {}

    private final Graph graph;
    private final String source;
    private final List<Launch> launches;
    private final Map<String, String> views;
    private final List<KernelChoice> choices;

    private ProgramPlan(Graph graph, String source, List<Launch> launches, Map<String, String> views, List<KernelChoice> choices) {
        this.graph = graph;
        this.source = source;
        this.launches = List.copyOf(launches);
        this.views = Map.copyOf(views);
        this.choices = List.copyOf(choices);
    }

    /** Renders every node of {@code typed} (static shapes, see {@link Specializer}). */
    public static ProgramPlan render(Graph typed, RenderOptions options) {
        StringBuilder source = new StringBuilder("/* Kiln OpenCL kernels for graph '" + typed.name()
                + "': single work-item each, run in this order on one in-order queue. */\n");
        List<Launch> launches = new ArrayList<>();
        Map<String, String> views = new HashMap<>();
        List<KernelChoice> choices = new ArrayList<>();
        int opset = typed.opset("");
        for (Node node : typed.nodes()) {
            if (Renderers.isView(node)) {
                views.put(node.output(0).name(), node.input(0).name());
                choices.add(new KernelChoice(node.name(), node.qualifiedOp(), "buffer view (no kernel)", false));
                continue;
            }
            String name = "k" + launches.size() + "_" + node.op().toLowerCase(Locale.ROOT);
            KernelSource kernel;
            try {
                kernel = Renderers.render(new Layer(node, typed.constants(), opset, name), options);
            } catch (RuntimeException e) {
                throw new KilnException(node.describe() + ": cannot render an OpenCL kernel: " + e.getMessage(), e);
            }
            source.append('\n').append(kernel.source());
            launches.add(new Launch(kernel.name(), kernel.args()));
            choices.add(new KernelChoice(node.name(), node.qualifiedOp(), kernel.name() + ": " + kernel.description(), false));
        }
        return new ProgramPlan(typed, source.toString(), launches, views, choices);
    }

    public Graph graph() { return graph; }

    /** The whole program's OpenCL C. */
    public String source() { return source; }

    public List<Launch> launches() { return launches; }

    public List<KernelChoice> choices() { return choices; }

    /** The value whose buffer holds {@code value}: itself, or the input a chain of views reads. */
    public String bufferOf(String value) {
        String v = value;
        while (views.containsKey(v)) v = views.get(v);
        return v;
    }
}
