package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.FunctionProto;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.frontend.onnx.proto.OperatorSetIdProto;
import dev.kiln.frontend.onnx.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces calls of model-local functions ({@code ModelProto.functions}) by the functions' bodies, so the IR only
 * holds registered ops. Each expansion gets fresh value names, binds the function's formal inputs and outputs to
 * the call's, and resolves attribute references ({@code ref_attr_name}) against the call's attributes or the
 * function's defaults.
 */
final class FunctionInliner {
    private final Map<String, FunctionProto> functions = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();

    private FunctionInliner(ModelProto model) {
        for (FunctionProto f : model.getFunctionsList()) {
            if (functions.put(key(f.getDomain(), f.getName(), f.getOverload()), f) != null) {
                throw new InvalidModelException("function '" + f.getDomain() + ":" + f.getName() + "' is defined twice");
            }
        }
        collectNames(model.getGraph(), 0);
    }

    /** The model with every function call expanded and the function's opset imports added where missing. */
    static ModelProto inline(ModelProto model) {
        if (model.getFunctionsCount() == 0) return model;
        FunctionInliner inliner = new FunctionInliner(model);
        ModelProto.Builder b = model.toBuilder().clearFunctions().setGraph(inliner.inlineGraph(model.getGraph(), 0));
        Set<String> imported = new HashSet<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) imported.add(normalize(o.getDomain()));
        for (FunctionProto f : model.getFunctionsList()) {
            for (OperatorSetIdProto o : f.getOpsetImportList()) {
                if (imported.add(normalize(o.getDomain()))) b.addOpsetImport(o);
            }
        }
        return b.build();
    }

    private static String normalize(String domain) { return domain.equals("ai.onnx") ? "" : domain; }

    private static String key(String domain, String name, String overload) {
        return normalize(domain) + "\u0000" + name + "\u0000" + overload;
    }

    private FunctionProto functionFor(NodeProto node) {
        return functions.get(key(node.getDomain(), node.getOpType(), node.getOverload()));
    }

    private GraphProto inlineGraph(GraphProto g, int depth) {
        checkDepth(depth);
        GraphProto.Builder b = g.toBuilder().clearNode();
        List<ValueInfoProto> valueInfo = new ArrayList<>();
        for (NodeProto node : g.getNodeList()) b.addAllNode(inlineNode(node, depth, 0, valueInfo));
        return b.addAllValueInfo(valueInfo).build();
    }

    /** The node itself (with calls in its subgraphs expanded), or the expanded body when it calls a function. */
    private List<NodeProto> inlineNode(NodeProto node, int depth, int callDepth, List<ValueInfoProto> valueInfo) {
        FunctionProto f = functionFor(node);
        if (f == null) {
            NodeProto.Builder b = node.toBuilder().clearAttribute();
            for (AttributeProto a : node.getAttributeList()) {
                AttributeProto.Builder ab = a.toBuilder().clearGraphs();
                if (a.hasG()) ab.setG(inlineGraph(a.getG(), depth + 1));
                for (GraphProto sub : a.getGraphsList()) ab.addGraphs(inlineGraph(sub, depth + 1));
                b.addAttribute(ab);
            }
            return List.of(b.build());
        }
        if (callDepth >= ImportLimits.MAX_FUNCTION_DEPTH) {
            throw new InvalidModelException("function '" + f.getName() + "' nests deeper than "
                    + ImportLimits.MAX_FUNCTION_DEPTH + " calls (does it call itself?)");
        }
        if (node.getInputCount() > f.getInputCount() || node.getOutputCount() > f.getOutputCount()) {
            throw new InvalidModelException("node '" + node.getName() + "' calls function '" + f.getName() + "' with "
                    + node.getInputCount() + " inputs and " + node.getOutputCount() + " outputs; it takes "
                    + f.getInputCount() + " and " + f.getOutputCount());
        }
        FunctionBody body = new FunctionBody(node, f);
        List<NodeProto> expanded = new ArrayList<>();
        for (NodeProto inner : f.getNodeList()) {
            expanded.addAll(inlineNode(body.rewrite(inner), depth, callDepth + 1, valueInfo));
        }
        for (ValueInfoProto info : f.getValueInfoList()) {
            String renamed = body.renames.get(info.getName());
            if (renamed != null && !renamed.isEmpty()) valueInfo.add(info.toBuilder().setName(renamed).build());
        }
        return expanded;
    }

    private static void checkDepth(int depth) {
        if (depth > ImportLimits.MAX_SUBGRAPH_DEPTH) {
            throw new InvalidModelException("subgraphs nest deeper than " + ImportLimits.MAX_SUBGRAPH_DEPTH + " levels");
        }
    }

    /** One expansion of a function: its value renaming and its attribute bindings. */
    private final class FunctionBody {
        final Map<String, String> renames = new HashMap<>();
        final Map<String, AttributeProto> bindings = new HashMap<>();
        final String prefix;

        FunctionBody(NodeProto call, FunctionProto f) {
            prefix = (call.getName().isEmpty() ? f.getName() : call.getName()) + "/";
            for (int i = 0; i < f.getInputCount(); i++) renames.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
            for (int i = 0; i < f.getOutputCount(); i++) {
                if (i < call.getOutputCount() && !call.getOutput(i).isEmpty()) renames.put(f.getOutput(i), call.getOutput(i));
            }
            for (AttributeProto a : f.getAttributeProtoList()) bindings.put(a.getName(), a);
            for (AttributeProto a : call.getAttributeList()) bindings.put(a.getName(), a);
        }

        NodeProto rewrite(NodeProto node) {
            NodeProto.Builder b = node.toBuilder().clearInput().clearOutput().clearAttribute();
            if (!node.getName().isEmpty()) b.setName(prefix + node.getName());
            for (String in : node.getInputList()) b.addInput(rename(in));
            for (String out : node.getOutputList()) b.addOutput(rename(out));
            for (AttributeProto a : node.getAttributeList()) {
                if (a.hasRefAttrName()) {
                    AttributeProto bound = bindings.get(a.getRefAttrName());
                    if (bound != null) b.addAttribute(bound.toBuilder().setName(a.getName()).clearRefAttrName());
                    continue; // an unbound reference means the attribute is not set
                }
                AttributeProto.Builder ab = a.toBuilder().clearGraphs();
                if (a.hasG()) ab.setG(rewrite(a.getG()));
                for (GraphProto sub : a.getGraphsList()) ab.addGraphs(rewrite(sub));
                b.addAttribute(ab);
            }
            return b.build();
        }

        private GraphProto rewrite(GraphProto g) {
            GraphProto.Builder b = g.toBuilder().clearNode().clearInput().clearOutput().clearValueInfo().clearInitializer()
                    .clearSparseInitializer();
            for (ValueInfoProto v : g.getInputList()) b.addInput(v.toBuilder().setName(rename(v.getName())));
            for (ValueInfoProto v : g.getOutputList()) b.addOutput(v.toBuilder().setName(rename(v.getName())));
            for (ValueInfoProto v : g.getValueInfoList()) b.addValueInfo(v.toBuilder().setName(rename(v.getName())));
            for (var t : g.getInitializerList()) b.addInitializer(t.toBuilder().setName(rename(t.getName())));
            for (var t : g.getSparseInitializerList()) {
                b.addSparseInitializer(t.toBuilder().setValues(t.getValues().toBuilder().setName(rename(t.getValues().getName()))));
            }
            for (NodeProto n : g.getNodeList()) b.addNode(rewrite(n));
            return b.build();
        }

        private String rename(String name) {
            if (name.isEmpty()) return name;
            return renames.computeIfAbsent(name, n -> fresh(prefix + n));
        }
    }

    private String fresh(String base) {
        String name = base;
        for (int k = 2; !usedNames.add(name); k++) name = base + "_" + k;
        return name;
    }

    private void collectNames(GraphProto g, int depth) {
        checkDepth(depth);
        for (ValueInfoProto v : g.getInputList()) usedNames.add(v.getName());
        for (var t : g.getInitializerList()) usedNames.add(t.getName());
        for (NodeProto n : g.getNodeList()) {
            usedNames.addAll(n.getOutputList());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectNames(a.getG(), depth + 1);
                for (GraphProto sub : a.getGraphsList()) collectNames(sub, depth + 1);
            }
        }
    }
}
