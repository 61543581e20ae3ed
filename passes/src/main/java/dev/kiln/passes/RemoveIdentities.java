package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes nodes that pass their first input through unchanged: Identity, Dropout at inference, Reshape to the same
 * static shape, Transpose by the identity permutation, Cast to the same element type, Pad by all-zero pads. Readers
 * then read the input directly. When the removed node writes a graph output, that name must survive: the node's
 * producer is renamed to write it instead, which is possible only when the input comes from a node of this graph and
 * is not itself a graph output; otherwise the node stays.
 */
public final class RemoveIdentities implements Pass {
    @Override
    public String name() { return "remove-identities"; }

    @Override
    public String summary() { return "remove Identity, inference Dropout and no-op Reshape/Transpose/Cast/Pad"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphUses uses = GraphUses.of(graph);
        Set<String> nodeOutputs = new HashSet<>();
        graph.nodes().forEach(n -> n.outputs().forEach(v -> nodeOutputs.add(v.name())));
        Map<String, String> aliases = new HashMap<>();        // removed output → the value readers read instead
        Map<String, String> producerRenames = new HashMap<>(); // node output → the graph output it now writes
        List<Node> kept = new ArrayList<>();
        for (Node node : graph.nodes()) {
            String why = identityReason(node, graph, uses, ctx);
            if (why == null) {
                kept.add(node);
                continue;
            }
            String source = aliases.getOrDefault(node.input(0).name(), node.input(0).name());
            String out = node.output(0).name();
            if (!uses.isGraphOutput(out)) {
                aliases.put(out, source);
                ctx.rewrote(1);
                ctx.explain(node.name(), "removed: " + why + "; its readers now read '" + source + "'");
            } else if (nodeOutputs.contains(source) && !uses.isGraphOutput(source) && !producerRenames.containsKey(source)) {
                producerRenames.put(source, out);
                ctx.rewrote(1);
                ctx.explain(node.name(), "removed: " + why + "; the producer of '" + source + "' now writes graph output '" + out + "'");
            } else {
                kept.add(node);
                ctx.explain(node.name(), "kept although " + why + ": it writes graph output '" + out + "' and its input '"
                        + source + "' is " + sourceKind(source, nodeOutputs, uses) + ", so no producer can be renamed");
            }
        }
        if (kept.size() == graph.nodes().size()) return graph;
        Map<String, String> renames = new HashMap<>(producerRenames);
        aliases.forEach((from, to) -> renames.put(from, producerRenames.getOrDefault(to, to)));
        return GraphRewiring.retype(GraphRewiring.rename(graph.withNodes(kept), renames));
    }

    private static String sourceKind(String source, Set<String> nodeOutputs, GraphUses uses) {
        if (!nodeOutputs.contains(source)) return "a graph input or constant";
        return uses.isGraphOutput(source) ? "another graph output" : "already renamed to another graph output";
    }

    /** Why the node is a no-op, or null when it is not (saying why when it nearly is). */
    private static String identityReason(Node node, Graph graph, GraphUses uses, PassContext ctx) {
        if (!node.domain().isEmpty() || node.inputs().isEmpty() || node.input(0).isAbsent()) return null;
        Value in = node.input(0);
        return switch (node.op()) {
            case "Identity" -> "Identity";
            case "Dropout" -> dropoutReason(node, graph, uses, ctx);
            case "Reshape" -> sameStaticType(in, node.output(0)) ? "Reshape to the same static shape" : null;
            case "Transpose" -> identityPerm(node, in) ? "Transpose by the identity permutation" : null;
            case "Cast" -> in.type() instanceof TensorType t && node.attribute("to").asInt() == t.dtype().onnxCode()
                    ? "Cast to the same element type" : null;
            case "Pad" -> zeroPads(node, graph, ctx) ? "Pad by all-zero pads" : null;
            default -> null;
        };
    }

    private static String dropoutReason(Node node, Graph graph, GraphUses uses, PassContext ctx) {
        if (node.outputs().size() > 1 && !node.output(1).isAbsent() && uses.useCount(node.output(1).name()) > 0) {
            ctx.explain(node.name(), "Dropout kept: its mask output '" + node.output(1).name() + "' is read");
            return null;
        }
        Attribute isTest = node.attribute("is_test");
        if (graph.opset("") < 7 && (isTest == null || isTest.asInt() == 0)) {
            ctx.explain(node.name(), "Dropout kept: before opset 7 it drops unless is_test=1");
            return null;
        }
        Value training = node.input(2);
        if (!training.isAbsent()) {
            Tensor t = graph.constants().get(training.name());
            if (t == null || t.size() != 1 || t.getBoolean(0)) {
                ctx.explain(node.name(), "Dropout kept: training_mode '" + training.name() + "' is not a constant false");
                return null;
            }
        }
        return "Dropout at inference";
    }

    private static boolean sameStaticType(Value in, Value out) {
        return in.type() instanceof TensorType a && out.type() instanceof TensorType b
                && a.shape().isStatic() && a.equals(b);
    }

    private static boolean identityPerm(Node node, Value in) {
        Attribute perm = node.attribute("perm");
        if (perm == null) return in.type() instanceof TensorType t && t.shape().hasRank() && t.shape().rank() <= 1;
        long[] p = perm.asInts();
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    private static boolean zeroPads(Node node, Graph graph, PassContext ctx) {
        long[] pads;
        if (graph.opset("") >= 11) {
            pads = GraphRewiring.constantInts(graph, node.input(1));
            if (pads == null) {
                ctx.explain(node.name(), "Pad kept: its pads input is not a constant");
                return false;
            }
        } else {
            Attribute a = node.hasAttribute("pads") ? node.attribute("pads") : node.attribute("paddings");
            if (a == null) return false;
            pads = a.asInts();
        }
        for (long p : pads) if (p != 0) return false;
        return true;
    }
}
