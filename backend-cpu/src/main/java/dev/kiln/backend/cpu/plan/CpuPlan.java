package dev.kiln.backend.cpu.plan;

import dev.kiln.backend.cpu.codegen.KernelCompiler;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.CompiledKernel;
import dev.kiln.runtime.spi.KernelChoice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled for the CPU: one step per node in topological order, each bound once to a fast kernel or the
 * generic one. A value's slot is cleared after its last reader, so a large model's intermediates do not pile up.
 * Immutable and shared by every runner.
 */
public final class CpuPlan {
    private final Graph graph;
    private final Slots slots;
    private final List<Step> steps = new ArrayList<>();
    private final int[][] releaseAfter;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final int threads;
    private List<CompiledKernel> compiledKernels = List.of();

    public CpuPlan(Graph graph, CpuContext context) {
        this.graph = graph;
        this.threads = context.threads();
        this.slots = new Slots(graph);
        for (Node node : graph.nodes()) steps.add(CpuKernels.bind(node, graph, slots, context));
        linkGenerated(context);
        this.releaseAfter = releases(graph, slots);
        this.inputSlots = slots.of(graph.inputs());
        this.outputSlots = slots.of(graph.outputs());
    }

    public List<Step> steps() { return steps; }

    /** The generated kernels this plan's steps run, with their class files. */
    public List<CompiledKernel> compiledKernels() { return compiledKernels; }

    /** Each node's kernel, in graph order; generic where the interpreter's kernel runs it. */
    public List<KernelChoice> kernels() {
        List<KernelChoice> kernels = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Node node = graph.nodes().get(i);
            String what = steps.get(i).describe();
            String prefix = node.describe() + ": ";
            kernels.add(new KernelChoice(node.name(), node.qualifiedOp(), what.startsWith(prefix) ? what.substring(prefix.length()) : what,
                    steps.get(i) instanceof GenericStep));
        }
        return kernels;
    }

    private void linkGenerated(CpuContext context) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Step step : steps) if (step instanceof GeneratedStep g) sources.putAll(g.sources());
        if (sources.isEmpty()) return;
        KernelCompiler.Linked linked = KernelCompiler.link(sources, context.dumpKernelsDir(), context.precompiledKernels());
        compiledKernels = linked.kernels();
        for (Step step : steps) if (step instanceof GeneratedStep g) g.link(linked.classes());
    }

    /** A frame with the graph's constants in their slots: one per runner, closed with it. */
    public Frame newFrame() {
        Frame frame = new Frame(slots.size(), steps.stream().map(Step::newState).toArray(), threads);
        graph.constants().forEach((name, t) -> frame.set(slots.find(name), t));
        return frame;
    }

    /** Runs every step; returns the graph outputs by name. */
    public Map<String, RuntimeValue> run(Frame frame, Map<String, RuntimeValue> inputs) {
        for (int i = 0; i < inputSlots.length; i++) {
            String name = graph.inputs().get(i).name();
            RuntimeValue v = inputs.get(name);
            if (v == null) throw new KilnException("missing input '" + name + "'");
            frame.set(inputSlots[i], v);
        }
        for (int s = 0; s < steps.size(); s++) {
            if (Thread.currentThread().isInterrupted()) throw new KilnException(graph.nodes().get(s).describe() + ": run cancelled (time limit)");
            steps.get(s).run(frame, frame.states[s]);
            for (int slot : releaseAfter[s]) frame.clear(slot);
        }
        // Fast kernels reuse their buffers from run to run, so what the caller keeps must be its own copy.
        Map<String, RuntimeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < outputSlots.length; i++) {
            RuntimeValue v = frame.get(outputSlots[i]);
            out.put(graph.outputs().get(i).name(), v instanceof Tensor t ? t.copy() : v);
        }
        for (int slot : inputSlots) frame.clear(slot);
        return out;
    }

    /**
     * For each step, the slots of values it reads last. Graph inputs, outputs and constants are kept; a graph with
     * subgraphs keeps everything, since bodies read outer values by name at times the order does not show.
     */
    private static int[][] releases(Graph graph, Slots slots) {
        int n = graph.nodes().size();
        int[][] release = new int[n][0];
        if (graph.nodes().stream().anyMatch(CpuPlan::hasSubgraph)) return release;
        Map<Integer, Integer> last = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (Value in : graph.nodes().get(i).inputs()) if (!in.isAbsent()) last.put(slots.of(in), i);
        }
        for (Value v : graph.outputs()) last.remove(slots.of(v));
        for (Value v : graph.inputs()) last.remove(slots.of(v));
        for (String c : graph.constants().keySet()) last.remove(slots.find(c));
        Map<Integer, List<Integer>> byStep = new HashMap<>();
        last.forEach((slot, step) -> byStep.computeIfAbsent(step, k -> new ArrayList<>()).add(slot));
        byStep.forEach((step, list) -> release[step] = list.stream().mapToInt(Integer::intValue).toArray());
        return release;
    }

    private static boolean hasSubgraph(Node n) {
        return n.attributes().values().stream().anyMatch(a -> a.kind() == dev.kiln.ir.Attribute.Kind.GRAPH
                || a.kind() == dev.kiln.ir.Attribute.Kind.GRAPHS);
    }
}
