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

import java.nio.ByteBuffer;
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
    private final Step[] steps;
    private final int[][] releaseAfter;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final int threads;
    private List<CompiledKernel> compiledKernels = List.of();

    public CpuPlan(Graph graph, CpuContext context) {
        this.graph = graph;
        this.threads = context.threads();
        this.slots = new Slots(graph);
        this.steps = graph.nodes().stream().map(node -> CpuKernels.bind(node, graph, slots, context)).toArray(Step[]::new);
        MemoizedStep.wrapShapeFunctions(graph, slots, steps);
        linkGenerated(context);
        this.releaseAfter = releases(graph, slots);
        this.inputSlots = slots.of(graph.inputs());
        this.outputSlots = slots.of(graph.outputs());
    }

    public List<Step> steps() { return List.of(steps); }

    /** The generated kernels this plan's steps run, with their class files. */
    public List<CompiledKernel> compiledKernels() { return compiledKernels; }

    /** Each node's kernel, in graph order; generic where the interpreter's kernel runs it. */
    public List<KernelChoice> kernels() {
        List<KernelChoice> kernels = new ArrayList<>(steps.length);
        for (int i = 0; i < steps.length; i++) {
            Node node = graph.nodes().get(i);
            String what = steps[i].describe();
            String prefix = node.describe() + ": ";
            kernels.add(new KernelChoice(node.name(), node.qualifiedOp(), what.startsWith(prefix) ? what.substring(prefix.length()) : what,
                    steps[i] instanceof GenericStep || steps[i] instanceof MemoizedStep));
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

    /** A frame with the graph's constants in their slots and every output in a buffer of its step's own. */
    public Frame newFrame() { return newFrame(null); }

    /**
     * A frame with the graph's constants in their slots: one per runner, closed with it. Intermediates sit in
     * {@code arena} (the session's, or null) at the offsets the memory plan annotated, the rest in steps' own buffers.
     */
    public Frame newFrame(ByteBuffer arena) {
        Object[] states = new Object[steps.length];
        for (int s = 0; s < steps.length; s++) states[s] = steps[s].newState(StepMemory.of(graph.nodes().get(s), arena));
        Frame frame = new Frame(slots.size(), states, threads);
        graph.constants().forEach((name, t) -> frame.set(slots.find(name), t));
        return frame;
    }

    /** Runs every step; returns copies of the graph outputs by name, which the caller owns. */
    public Map<String, RuntimeValue> run(Frame frame, Map<String, RuntimeValue> inputs) {
        RuntimeValue[] in = new RuntimeValue[inputSlots.length];
        for (int i = 0; i < in.length; i++) {
            String name = graph.inputs().get(i).name();
            in[i] = inputs.get(name);
            if (in[i] == null) throw new KilnException("missing input '" + name + "'");
        }
        RuntimeValue[] results = new RuntimeValue[outputSlots.length];
        run(frame, in, results);
        // Fast kernels reuse their buffers from run to run, so what the caller keeps must be its own copy.
        Map<String, RuntimeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < results.length; i++) {
            out.put(graph.outputs().get(i).name(), results[i] instanceof Tensor t ? t.copy() : results[i]);
        }
        return out;
    }

    /**
     * Runs every step with {@code inputs} in the graph's input order and puts the graph outputs, in order, into
     * {@code outputs}: the steps' own buffers, valid until the frame's next run. A warm run allocates nothing.
     */
    public void run(Frame frame, RuntimeValue[] inputs, RuntimeValue[] outputs) { run(frame, inputs, outputs, null); }

    /**
     * As {@link #run(Frame, RuntimeValue[], RuntimeValue[])}, adding each step's wall time in nanoseconds to
     * {@code stepNanos} (graph order) unless it is null: the clock is read only when profiling.
     */
    public void run(Frame frame, RuntimeValue[] inputs, RuntimeValue[] outputs, long[] stepNanos) {
        for (int i = 0; i < inputSlots.length; i++) frame.set(inputSlots[i], inputs[i]);
        try {
            for (int s = 0; s < steps.length; s++) {
                if (Thread.currentThread().isInterrupted()) throw new KilnException(graph.nodes().get(s).describe() + ": run cancelled (time limit)");
                if (stepNanos == null) {
                    steps[s].run(frame, frame.states[s]);
                } else {
                    long start = System.nanoTime();
                    steps[s].run(frame, frame.states[s]);
                    stepNanos[s] += System.nanoTime() - start;
                }
                for (int slot : releaseAfter[s]) frame.clear(slot);
            }
            for (int i = 0; i < outputSlots.length; i++) outputs[i] = frame.get(outputSlots[i]);
        } finally {
            for (int slot : inputSlots) frame.clear(slot);
        }
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
