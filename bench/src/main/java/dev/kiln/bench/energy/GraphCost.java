package dev.kiln.bench.energy;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.passes.GraphRewiring;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operation and memory-traffic counts of a compiled graph for one inference at concrete input shapes: the input
 * of {@link EnergyEstimator}. {@code footprintBytes} is the bytes of every distinct tensor (inputs, weights,
 * intermediates, outputs) that some node reads or writes, an upper bound of the working set that decides whether traffic stays on chip.
 */
public record GraphCost(List<NodeCost> nodes, long footprintBytes) {
    public GraphCost {
        nodes = List.copyOf(nodes);
    }

    /**
     * Counts {@code graph} (the optimized graph a compiled model runs) with its inputs bound to
     * {@code inputShapes} (input name → dims; every input with a dynamic dim must be given). Throws
     * {@link KilnException} naming the input or node when a shape cannot be resolved.
     */
    public static GraphCost of(Graph graph, Map<String, long[]> inputShapes) {
        Graph typed = typed(graph, inputShapes);
        TensorShapes shapes = new TensorShapes(typed);
        List<NodeCost> costs = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        long footprint = 0;
        for (Node node : typed.nodes()) {
            costs.add(cost(node, typed, shapes));
            for (Value v : node.inputs()) if (!v.isAbsent()) footprint += once(v, counted, shapes, node);
            for (Value v : node.outputs()) if (!v.isAbsent()) footprint += once(v, counted, shapes, node);
        }
        return new GraphCost(costs, footprint);
    }

    public long flops() { return nodes.stream().filter(n -> !n.int8()).mapToLong(NodeCost::operations).sum(); }

    public long int8Ops() { return nodes.stream().filter(NodeCost::int8).mapToLong(NodeCost::operations).sum(); }

    public long bytesRead() { return nodes.stream().mapToLong(NodeCost::bytesRead).sum(); }

    public long bytesWritten() { return nodes.stream().mapToLong(NodeCost::bytesWritten).sum(); }

    /** Bytes of graph constants read, summed over the nodes reading them. */
    public long weightBytes() { return nodes.stream().mapToLong(NodeCost::weightBytes).sum(); }

    private static Graph typed(Graph graph, Map<String, long[]> inputShapes) {
        try {
            return GraphRewiring.retype(ShapeBinding.bind(graph, inputShapes));
        } catch (InferenceException e) {
            throw new KilnException("energy: cannot type the graph at the given input shapes: " + e.getMessage(), e);
        }
    }

    private static NodeCost cost(Node node, Graph graph, TensorShapes shapes) {
        long ops = OperationCounts.operations(node, shapes);
        long read = 0, written = 0, weights = 0;
        if (!OperationCounts.VIEWS.contains(OperationCounts.baseOp(node))) {
            Set<String> seen = new LinkedHashSet<>();
            for (Value v : node.inputs()) {
                if (v.isAbsent() || !seen.add(v.name())) continue;
                long b = shapes.bytes(node, v);
                read += b;
                if (graph.constants().containsKey(v.name())) weights += b;
            }
            for (Value v : node.outputs()) if (!v.isAbsent()) written += shapes.bytes(node, v);
        }
        return new NodeCost(node.name(), node.qualifiedOp(), ops, isInt8(node, shapes), read, written, weights);
    }

    /** Quantized ops read 8-bit integer activations; their operations are priced as INT8. */
    private static boolean isInt8(Node node, TensorShapes shapes) {
        if (node.inputs().isEmpty() || node.input(0).isAbsent()) return false;
        TensorType t = shapes.type(node, node.input(0));
        return t.dtype().isInteger() && t.dtype().bits() == 8;
    }

    private static long once(Value v, Set<String> counted, TensorShapes shapes, Node node) {
        return counted.add(v.name()) ? shapes.bytes(node, v) : 0;
    }
}
