package dev.kiln.bench.profile;

import dev.kiln.bench.energy.GraphCost;
import dev.kiln.bench.energy.NodeCost;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.spi.KernelChoice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an inference's time goes, node by node of the compiled plan: each node's op, the kernel that ran it, its
 * mean wall time over {@code iterations} timed inferences, and its arithmetic (FP32 FLOPs as
 * {@link GraphCost} counts them for the energy model, so both figures come from one count; -1 where the node is
 * int8 or its count is unknown). The timed runs are separate from the benchmark's own ({@link Session#runTimed}),
 * so profiling never touches the figures of an unprofiled run.
 */
public record NodeProfile(List<Row> rows, int iterations) {
    /** One node: {@code flops} per inference, -1 when not counted in FP32 FLOPs. */
    public record Row(String node, String op, String kernel, double meanNanos, long flops) {
        /** GFLOP/s of this node, NaN where it has no FLOP count or took no measurable time. */
        public double gflopsPerSecond() { return flops <= 0 || meanNanos <= 0 ? Double.NaN : flops / meanNanos; }
    }

    /** Per op type: how many nodes, their summed mean time and FLOPs (-1 when none of them counts FLOPs). */
    public record OpTotal(String op, int nodes, double meanNanos, long flops) {
        public double gflopsPerSecond() { return flops <= 0 || meanNanos <= 0 ? Double.NaN : flops / meanNanos; }
    }

    public NodeProfile {
        rows = List.copyOf(rows);
        if (iterations < 1) throw new IllegalArgumentException("a profile needs at least one inference");
    }

    /**
     * Times every node of {@code compiled} over {@code iterations} inferences of {@code session}, cycling through
     * {@code feeds} and writing into {@code outputs} (one map per feed, made by the caller as for
     * {@link Session#run(Map, Map)}). The session should be warm: the first runs' JIT compilation would be timed too.
     */
    public static NodeProfile measure(CompiledModel compiled, Session session, List<Map<String, Tensor>> feeds,
                                      List<Map<String, Tensor>> outputs, int iterations) {
        List<Node> nodes = compiled.graph().nodes();
        long[] nanos = new long[nodes.size()];
        for (int i = 0; i < iterations; i++) session.runTimed(feeds.get(i % feeds.size()), outputs.get(i % feeds.size()), nanos);
        List<KernelChoice> kernels = compiled.kernels();
        List<NodeCost> costs = costs(compiled, feeds.getFirst());
        List<Row> rows = new ArrayList<>(nodes.size());
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            String kernel = n < kernels.size() ? kernels.get(n).kernel() : "";
            NodeCost cost = costs != null && n < costs.size() && costs.get(n).node().equals(node.name()) ? costs.get(n) : null;
            long flops = cost == null || cost.int8() ? -1 : cost.operations();
            rows.add(new Row(node.name(), node.qualifiedOp(), kernel, (double) nanos[n] / iterations, flops));
        }
        return new NodeProfile(rows, iterations);
    }

    /** The energy model's per-node counts at the feed's shapes, or null when they cannot be resolved. */
    private static List<NodeCost> costs(CompiledModel compiled, Map<String, Tensor> feed) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        feed.forEach((name, t) -> shapes.put(name, t.shape()));
        try {
            return GraphCost.of(compiled.graph(), shapes).nodes();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sum of every node's mean time: the profiled inference's time spent inside nodes. */
    public double totalNanos() { return rows.stream().mapToDouble(Row::meanNanos).sum(); }

    /** Share of {@link #totalNanos()} that {@code row} took, 0 to 1. */
    public double share(double meanNanos) {
        double total = totalNanos();
        return total <= 0 ? 0 : meanNanos / total;
    }

    /** The rows, slowest first. */
    public List<Row> slowestFirst() {
        return rows.stream().sorted(Comparator.comparingDouble(Row::meanNanos).reversed()).toList();
    }

    /** Totals per op type, slowest first. */
    public List<OpTotal> byOp() {
        Map<String, OpTotal> totals = new LinkedHashMap<>();
        for (Row r : rows) {
            OpTotal t = totals.get(r.op());
            long flops = r.flops();
            if (t != null) flops = t.flops() < 0 ? flops : flops < 0 ? t.flops() : t.flops() + flops;
            totals.put(r.op(), new OpTotal(r.op(), t == null ? 1 : t.nodes() + 1, (t == null ? 0 : t.meanNanos()) + r.meanNanos(), flops));
        }
        return totals.values().stream().sorted(Comparator.comparingDouble(OpTotal::meanNanos).reversed()).toList();
    }
}
