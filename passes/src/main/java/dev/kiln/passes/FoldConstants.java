package dev.kiln.passes;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces every node whose inputs are all constants with the constants it computes, evaluated by the reference
 * backend's own kernels (a one-node graph through {@link Interpreter}), so folding can never disagree with running.
 * Shape and Size of inputs with static dims fold too, and so does a Gather or Slice that picks only static dims out
 * of a Shape whose other dims are symbolic — which is how PyTorch's Shape→Gather→Unsqueeze→Concat→Reshape chains
 * become constant shapes. After each round the graph is re-typed (a Reshape fed a now-constant shape gets a static
 * type, so a Shape further down may fold in the next round). Never folded: random ops (each run draws new values),
 * nodes with subgraphs, non-tensor results, and results over {@code fold-constants.max-elements} elements (16M by
 * default): materializing e.g. a light model's ConstantOfShape weights would hold them all in memory at compile time
 * and bloat the model for no run-time gain.
 */
public final class FoldConstants implements Pass {
    private static final long DEFAULT_MAX_ELEMENTS = 16L << 20;
    private static final int MAX_ROUNDS = 8;

    @Override
    public String name() { return "fold-constants"; }

    @Override
    public String summary() { return "evaluate nodes whose inputs are constants (static Shape chains included)"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        long maxElements = maxElements(ctx);
        Map<String, String> notFolded = new LinkedHashMap<>();
        Graph g = graph;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Graph folded = foldOnce(g, maxElements, notFolded, ctx);
            if (folded == g) break;
            g = GraphRewiring.retype(folded);
        }
        for (Node n : g.nodes()) {
            String why = notFolded.get(n.name());
            if (why != null) ctx.explain(n.name(), "not folded: " + why);
        }
        return g;
    }

    private static long maxElements(PassContext ctx) {
        String option = ctx.option("fold-constants.max-elements", Long.toString(DEFAULT_MAX_ELEMENTS));
        try {
            return Long.parseLong(option);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option fold-constants.max-elements must be a whole number, got '" + option + "'");
        }
    }

    private static Graph foldOnce(Graph graph, long maxElements, Map<String, String> notFolded, PassContext ctx) {
        Map<String, Tensor> known = new LinkedHashMap<>(graph.constants());
        Map<String, List<Dim>> shapeVectors = new HashMap<>();
        List<Node> kept = new ArrayList<>();
        int opset = graph.opset("");
        for (Node node : graph.nodes()) {
            Map<String, Tensor> results = fold(node, graph, known, shapeVectors, maxElements, notFolded, opset);
            if (results == null) {
                kept.add(node);
                continue;
            }
            known.putAll(results);
            notFolded.remove(node.name());
            ctx.rewrote(1);
            ctx.explain(node.name(), "folded to constant" + (results.size() > 1 ? "s " : " ") + String.join(", ", results.keySet()));
        }
        if (kept.size() == graph.nodes().size()) return graph;
        return graph.withNodes(kept).withConstants(known);
    }

    /** The node's outputs as constants, or null (recording why in {@code notFolded} when it nearly folded). */
    private static Map<String, Tensor> fold(Node node, Graph graph, Map<String, Tensor> known,
                                            Map<String, List<Dim>> shapeVectors, long maxElements,
                                            Map<String, String> notFolded, int opset) {
        boolean standard = node.domain().isEmpty() || node.domain().equals("ai.onnx");
        if (standard && node.op().equals("Shape")) {
            List<Dim> dims = ShapeFolding.shapeOf(node);
            if (dims == null) return null;
            ShapeFolding.Picked all = new ShapeFolding.Picked(dims, new long[] {dims.size()});
            if (all.isStatic()) return Map.of(node.output(0).name(), all.toTensor());
            shapeVectors.put(node.output(0).name(), dims);
            notFolded.put(node.name(), "the shape of '" + node.input(0).name() + "' is " + node.input(0).type() + ", not static");
            return null;
        }
        if (standard && node.op().equals("Size") && !known.containsKey(node.input(0).name())) {
            Tensor size = ShapeFolding.sizeOf(node);
            if (size == null) notFolded.put(node.name(), "the shape of '" + node.input(0).name() + "' is not static");
            return size == null ? null : Map.of(node.output(0).name(), size);
        }
        List<Dim> vector = standard && !node.input(0).isAbsent() ? shapeVectors.get(node.input(0).name()) : null;
        if (vector != null) {
            ShapeFolding.Picked picked = ShapeFolding.pick(node, vector, known, opset);
            if (picked != null && picked.isStatic()) return Map.of(node.output(0).name(), picked.toTensor());
            if (picked != null) notFolded.put(node.name(), "it picks symbolic dims " + picked.dims() + " of a shape");
            return null;
        }
        for (Value in : node.inputs()) {
            if (!in.isAbsent() && !known.containsKey(in.name())) return null;
        }
        String refusal = refusal(node, maxElements);
        if (refusal != null) {
            notFolded.put(node.name(), refusal);
            return null;
        }
        return evaluate(node, graph, known, maxElements, notFolded);
    }

    /** Why a node with constant inputs must not be folded, or null. */
    private static String refusal(Node node, long maxElements) {
        if (RandomOps.isRandom(node)) return "random op (each run draws new values)";
        if (GraphRewiring.hasSubgraph(node)) return "it has a subgraph";
        if (node.domain().isEmpty() && node.op().equals("DequantizeLinear")) {
            return "quantized weights stay integer (lower-qdq folds the DequantizeLinear into the integer op)";
        }
        for (Value out : node.outputs()) {
            if (out.isAbsent()) continue;
            if (!(out.type() instanceof TensorType t)) return "output '" + out.name() + "' is not a tensor";
            if (t.shape().isStatic() && t.shape().elementCount() > maxElements) {
                return "output '" + out.name() + "' would hold " + t.shape().elementCount() + " elements (limit " + maxElements + ")";
            }
        }
        return null;
    }

    private static Map<String, Tensor> evaluate(Node node, Graph graph, Map<String, Tensor> known, long maxElements,
                                                Map<String, String> notFolded) {
        Map<String, Tensor> args = new LinkedHashMap<>();
        for (Value in : node.inputs()) if (!in.isAbsent()) args.put(in.name(), known.get(in.name()));
        List<Value> outputs = node.outputs().stream().filter(v -> !v.isAbsent()).toList();
        Graph single = new Graph("fold_" + node.name(), List.of(), outputs, List.of(node), args, graph.opsets());
        Map<String, RuntimeValue> values;
        try {
            values = Interpreter.run(single, Map.of());
        } catch (KilnException e) {
            notFolded.put(node.name(), "the reference kernel failed: " + e.getMessage());
            return null;
        }
        Map<String, Tensor> results = new LinkedHashMap<>();
        for (Value out : outputs) {
            if (!(values.get(out.name()) instanceof Tensor t)) {
                notFolded.put(node.name(), "output '" + out.name() + "' is not a tensor");
                return null;
            }
            if (!matchesType(t, out.tensorType())) {
                notFolded.put(node.name(), "the kernel gave " + t.type() + " for '" + out.name() + "', typed " + out.type());
                return null;
            }
            if (t.size() > maxElements) {
                notFolded.put(node.name(), "output '" + out.name() + "' holds " + t.size() + " elements (limit " + maxElements + ")");
                return null;
            }
            results.put(out.name(), t);
        }
        return results;
    }

    /** A folded value must fit the type the graph already gives its name, or re-typing the graph would fail. */
    private static boolean matchesType(Tensor t, TensorType type) {
        if (t.dtype() != type.dtype()) return false;
        if (!type.shape().hasRank()) return true;
        if (type.shape().rank() != t.rank()) return false;
        for (int i = 0; i < t.rank(); i++) {
            if (type.shape().dim(i).isStatic() && type.shape().dim(i).size() != t.dim(i)) return false;
        }
        return true;
    }
}
