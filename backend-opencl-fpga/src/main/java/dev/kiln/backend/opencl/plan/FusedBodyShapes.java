package dev.kiln.backend.opencl.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixes the symbolic dims in the bodies of {@code kiln:FusedElementwise} nodes. Type inference takes such a node's
 * output type from its body's declared output, which the fusion pass wrote with the model's symbols
 * ({@code f32[batch,4]}); binding the symbols to the sizes a run's inputs give them makes that type static too.
 */
final class FusedBodyShapes {
    private FusedBodyShapes() {}

    /** The size each symbolic dim of the graph inputs takes in {@code inputs}. */
    static Map<String, Long> symbols(Graph graph, Map<String, ? extends RuntimeValue> inputs) {
        Map<String, Long> sizes = new HashMap<>();
        for (Value v : graph.inputs()) {
            if (!(v.type() instanceof TensorType t) || !t.shape().hasRank() || !(inputs.get(v.name()) instanceof Tensor given)) continue;
            for (int i = 0; i < t.shape().rank() && i < given.rank(); i++) {
                Dim d = t.shape().dim(i);
                if (d.isSymbolic()) sizes.putIfAbsent(d.symbol(), given.dim(i));
            }
        }
        return sizes;
    }

    /** {@code nodes} with every nested graph's declared input and output types bound to {@code sizes}. */
    static List<Node> bind(List<Node> nodes, Map<String, Long> sizes) {
        List<Node> bound = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            Map<String, Attribute> attrs = new LinkedHashMap<>(node.attributes());
            attrs.replaceAll((name, a) -> a.kind() == Attribute.Kind.GRAPH ? Attribute.of(bindBody(a.asGraph(), sizes)) : a);
            bound.add(new Node(node.name(), node.domain(), node.op(), node.inputs(), node.outputs(), attrs));
        }
        return bound;
    }

    private static Graph bindBody(Graph body, Map<String, Long> sizes) {
        return body.withInputs(body.inputs().stream().map(v -> bindValue(v, sizes)).toList())
                .withOutputs(body.outputs().stream().map(v -> bindValue(v, sizes)).toList());
    }

    private static Value bindValue(Value v, Map<String, Long> sizes) {
        if (!(v.type() instanceof TensorType t) || !t.shape().hasRank()) return v;
        List<Dim> dims = new ArrayList<>();
        for (Dim d : t.shape().dims()) dims.add(DimProduct.bind(d, sizes));
        ValueType bound = new TensorType(t.dtype(), Shape.of(dims));
        return new Value(v.name(), bound);
    }
}
