package dev.kiln.bench.energy;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.runtime.KilnException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a graph's symbolic dims to the sizes concrete input shapes give them and rewrites every value type in the
 * graph and its subgraphs (fused bodies included) with those sizes, so that re-typing yields static shapes
 * throughout.
 */
final class ShapeBinding {
    /** Symbol → size. */
    private final Map<String, Long> sizes = new HashMap<>();
    /** Input name → the shape given for it. */
    private final Map<String, Shape> concrete = new HashMap<>();

    private ShapeBinding() {}

    /** {@code graph} with its inputs' dims set to {@code inputShapes} and each symbol replaced wherever it occurs. */
    static Graph bind(Graph graph, Map<String, long[]> inputShapes) {
        for (String name : inputShapes.keySet()) {
            if (graph.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                throw new KilnException("energy: the graph has no input '" + name + "'");
            }
        }
        ShapeBinding binding = new ShapeBinding();
        for (Value input : graph.inputs()) binding.learn(input, inputShapes.get(input.name()));
        return binding.rewrite(graph);
    }

    private void learn(Value input, long[] dims) {
        if (!(input.type() instanceof TensorType t)) throw new KilnException("energy: input '" + input.name() + "' is not a tensor");
        Shape shape = t.shape();
        if (dims == null) {
            if (shape.isStatic()) return;
            throw new KilnException("energy: input '" + input.name() + "' has shape " + shape + "; give its concrete dims");
        }
        if (shape.hasRank() && shape.rank() != dims.length) {
            throw new KilnException("energy: input '" + input.name() + "' has rank " + shape.rank() + ", got dims " + Shape.format(dims));
        }
        for (int i = 0; shape.hasRank() && i < dims.length; i++) {
            Dim d = shape.dim(i);
            if (d.isStatic() && d.size() != dims[i]) {
                throw new KilnException("energy: input '" + input.name() + "' dim " + i + " is " + d.size() + ", got " + dims[i]);
            }
            if (d.isSymbolic()) {
                Long before = sizes.putIfAbsent(d.symbol(), dims[i]);
                if (before != null && before != dims[i]) {
                    throw new KilnException("energy: dim '" + d.symbol() + "' is bound to both " + before + " and " + dims[i]);
                }
            }
        }
        concrete.put(input.name(), Shape.of(dims));
    }

    private Graph rewrite(Graph g) {
        List<Node> nodes = g.nodes().stream().map(this::rewrite).toList();
        return new Graph(g.name(), g.inputs().stream().map(this::rewrite).toList(), g.outputs().stream().map(this::rewrite).toList(),
                nodes, g.constants(), g.opsets());
    }

    private Node rewrite(Node n) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        n.attributes().forEach((k, a) -> attrs.put(k, switch (a.kind()) {
            case GRAPH -> Attribute.of(rewrite(a.asGraph()));
            case GRAPHS -> Attribute.graphs(a.asGraphs().stream().map(this::rewrite).toList());
            default -> a;
        }));
        return new Node(n.name(), n.domain(), n.op(), n.inputs().stream().map(this::rewrite).toList(),
                n.outputs().stream().map(this::rewrite).toList(), attrs);
    }

    private Value rewrite(Value v) {
        if (v.isAbsent() || !(v.type() instanceof TensorType t)) return v;
        Shape given = concrete.get(v.name());
        if (given != null) return new Value(v.name(), new TensorType(t.dtype(), given));
        if (!t.shape().hasRank()) return v;
        List<Dim> dims = t.shape().dims().stream()
                .map(d -> DimProduct.bind(d, sizes)).toList();
        return new Value(v.name(), new TensorType(t.dtype(), Shape.of(dims)));
    }
}
