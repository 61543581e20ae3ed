package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Renderers;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host manifest of a rendered {@link ProgramPlan}: the buffers and pipes {@code OpenClRunner} allocates for it
 * (every kernel argument, input and output, views resolved to the buffer they share), the launches in queue order
 * with their stages, the streams, and
 * a weights file with each constant buffer at an offset aligned to {@value #ALIGNMENT} bytes, so a host can hand
 * each slice to a DMA engine as it is.
 */
public final class PlanManifest {
    /** The files of an emit dir: the manifest ({@code NAME.manifest.json} goes with binaries {@code NAME.*}), source, weights. */
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    public static final String MANIFEST_FILE = "kiln" + MANIFEST_SUFFIX;
    public static final String SOURCE_FILE = "kernels.cl";
    public static final String WEIGHTS_FILE = "kiln.weights.bin";
    static final int ALIGNMENT = 64;

    private PlanManifest() {}

    /**
     * The manifest of {@code plan}, rendered with {@code options}, built for {@code target} ({@code fpga:<part>},
     * {@code opencl:<device>}).
     */
    public static HostManifest of(ProgramPlan plan, RenderOptions options, String target) {
        Graph graph = plan.graph();
        Map<String, Value> values = graph.valuesByName();
        Map<String, HostManifest.Role> roles = new LinkedHashMap<>();
        for (Value in : graph.inputs()) roles.put(in.name(), HostManifest.Role.INPUT);
        for (ProgramPlan.Launch launch : plan.launches()) {
            for (String arg : launch.args()) roles.putIfAbsent(plan.bufferOf(arg), role(plan.bufferOf(arg), graph));
        }
        for (Value out : graph.outputs()) roles.putIfAbsent(plan.bufferOf(out.name()), role(plan.bufferOf(out.name()), graph));
        Map<String, List<String>> views = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            if (Renderers.isView(node)) views.computeIfAbsent(plan.bufferOf(node.output(0).name()), k -> new ArrayList<>()).add(node.output(0).name());
        }
        List<HostManifest.Buffer> buffers = new ArrayList<>();
        List<HostManifest.Slice> slices = new ArrayList<>();
        long weightBytes = 0;
        Map<String, ProgramPlan.Stream> pipes = new LinkedHashMap<>();
        if (plan.streaming() == Streaming.PIPES) for (ProgramPlan.Stream st : plan.streams()) pipes.put(st.value(), st);
        for (var e : roles.entrySet()) {
            String name = e.getKey();
            if (pipes.containsKey(name)) {
                // As OpenClRunner makes them: deep enough for the whole tensor, so no launch order deadlocks.
                ProgramPlan.Stream st = pipes.get(name);
                buffers.add(new HostManifest.Buffer(name, HostManifest.Role.PIPE, DType.F32.toString(),
                        Math.max(st.depth(), st.elements()) * Float.BYTES, List.of()));
                continue;
            }
            Tensor constant = graph.constants().get(name);
            DType dtype = constant != null ? constant.dtype() : values.get(name).tensorType().dtype();
            long elements = constant != null ? constant.size() : values.get(name).tensorType().shape().elementCount();
            long bytes = elements * dtype.bits() / 8;
            buffers.add(new HostManifest.Buffer(name, e.getValue(), dtype.toString(), bytes, views.getOrDefault(name, List.of())));
            if (e.getValue() == HostManifest.Role.WEIGHT) {
                long offset = (weightBytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
                slices.add(new HostManifest.Slice(name, offset, bytes));
                weightBytes = offset + bytes;
            }
        }
        HostManifest.Program program = new HostManifest.Program(SOURCE_FILE, GraphIdentity.sha256(plan.source().getBytes(StandardCharsets.UTF_8)),
                plan.buildOptions(), options);
        List<HostManifest.Kernel> kernels = kernels(plan);
        List<HostManifest.Stream> streams = plan.streams().stream().map(st -> new HostManifest.Stream(st.id(), st.value(),
                kernels.get(st.producer()).name(), kernels.get(st.consumer()).name(), st.elements(), st.depth())).toList();
        return new HostManifest(graph.name(), GraphIdentity.of(graph), target, program, ports(graph.inputs(), plan), ports(graph.outputs(), plan),
                buffers, kernels, streams, new HostManifest.Weights(WEIGHTS_FILE, weightBytes, slices), Map.of());
    }

    private static HostManifest.Role role(String buffer, Graph graph) {
        if (graph.constants().containsKey(buffer)) return HostManifest.Role.WEIGHT;
        return graph.outputs().stream().anyMatch(v -> v.name().equals(buffer)) ? HostManifest.Role.OUTPUT : HostManifest.Role.INTERMEDIATE;
    }

    /** The launches with the node each renders: the plan's kernels are the graph's non-view nodes, in order. */
    private static List<HostManifest.Kernel> kernels(ProgramPlan plan) {
        List<Node> rendered = plan.graph().nodes().stream().filter(n -> !Renderers.isView(n)).toList();
        List<HostManifest.Kernel> kernels = new ArrayList<>();
        for (int i = 0; i < plan.launches().size(); i++) {
            ProgramPlan.Launch launch = plan.launches().get(i);
            kernels.add(new HostManifest.Kernel(launch.kernel(), rendered.get(i).name(), launch.args().stream().map(plan::bufferOf).toList(),
                    launch.stage()));
        }
        return kernels;
    }

    private static List<HostManifest.Port> ports(List<Value> values, ProgramPlan plan) {
        return values.stream().map(v -> new HostManifest.Port(v.name(), v.tensorType().dtype().toString(),
                Arrays.stream(v.tensorType().shape().toArray()).boxed().toList(), plan.bufferOf(v.name()))).toList();
    }
}
