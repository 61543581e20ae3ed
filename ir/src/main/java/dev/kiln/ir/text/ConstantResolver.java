package dev.kiln.ir.text;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/** Finds the tensor behind a {@code resource<sha256:...>} reference in IR text, by content hash. */
@FunctionalInterface
public interface ConstantResolver {
    /** The tensor whose {@link Tensor#contentHash()} is {@code sha256}, or null when unknown. */
    Tensor resolve(String sha256);

    /** Resolves nothing: for text whose tensors are all inline. */
    static ConstantResolver none() { return hash -> null; }

    /** Every tensor of {@code graph}: constants and tensor attributes, including those of nested subgraphs. */
    static ConstantResolver of(Graph graph) { return tensorsByHash(graph)::get; }

    /** Every tensor of {@code graph} (constants and tensor attributes, nested ones too), by content hash. */
    static Map<String, Tensor> tensorsByHash(Graph graph) {
        Map<String, Tensor> byHash = new HashMap<>();
        collect(graph, byHash);
        return byHash;
    }

    private static void collect(Graph graph, Map<String, Tensor> byHash) {
        for (Tensor t : graph.constants().values()) byHash.put(t.contentHash(), t);
        for (Node n : graph.nodes()) {
            for (Attribute a : n.attributes().values()) {
                switch (a.kind()) {
                    case TENSOR -> byHash.put(a.asTensor().contentHash(), a.asTensor());
                    case TENSORS -> a.asTensors().forEach(t -> byHash.put(t.contentHash(), t));
                    case GRAPH -> collect(a.asGraph(), byHash);
                    case GRAPHS -> a.asGraphs().forEach(g -> collect(g, byHash));
                    default -> { }
                }
            }
        }
    }
}
