package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.GraphRewrite;
import dev.kiln.passes.quant.QdqNodes;
import dev.kiln.passes.quant.QuantParams;
import dev.kiln.passes.quant.QuantizationSettings;
import dev.kiln.passes.quant.QuantizedOps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training static quantization into the Q/DQ form: each quantizable node's float activations pass through
 * QuantizeLinear→DequantizeLinear with calibrated per-tensor parameters, its weights become per-channel int8 constants
 * read through a DequantizeLinear, its bias int32. The graph still computes in float on any backend; lower-qdq then
 * folds the Q/DQ around each op into the integer op. A Relu or Clip after a quantized op is not quantized itself:
 * its output is, so the range of the output quantization is the activation's clamp. Every node left in float is
 * explained with the reason.
 */
public final class QuantizeInt8 implements Pass {
    @Override
    public String name() { return "quantize-int8"; }

    @Override
    public String summary() { return "insert QuantizeLinear/DequantizeLinear with calibrated ranges (--quantize int8): int8 weights, int32 biases"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        QuantizationSettings settings = ctx.quantization();
        if (settings == null || settings.mode() != QuantizationSettings.Mode.STATIC) return graph;
        if (graph.nodes().stream().anyMatch(QuantizedOps::isQdq)) {
            ctx.explain("@" + graph.name(), "not quantized: the graph already has QuantizeLinear/DequantizeLinear nodes");
            return graph;
        }
        GraphRewrite g = new GraphRewrite(graph);
        Map<Node, QuantizedOps.Plan> plans = new LinkedHashMap<>();
        Set<String> tensors = new LinkedHashSet<>();
        for (Node n : graph.nodes()) {
            String reason = settings.keepsFloat(n.name()) ? "kept in float by --keep-float" : null;
            QuantizedOps.Plan plan = reason == null ? QuantizedOps.plan(n, g, settings) : null;
            if (reason == null && plan != null && plan.floatReason() != null) reason = plan.floatReason();
            if (reason == null && plan == null && !QuantizedOps.isFoldableActivation(n)) reason = n.op() + " has no int8 form";
            if (reason != null) ctx.explain(n.name(), "kept in float: " + reason);
            if (plan == null || plan.floatReason() != null || reason != null) continue;
            plans.put(n, plan);
            tensors.addAll(plan.activations());
            if (plan.output() != null) tensors.add(plan.output().name());
        }
        Map<String, double[]> ranges = tensors.isEmpty() ? Map.of() : settings.ranges().ranges(graph, tensors);
        Map<String, QuantParams> params = new LinkedHashMap<>();
        List<Node> quantized = new ArrayList<>();
        for (var e : plans.entrySet()) {
            Node n = e.getKey();
            QuantizedOps.Plan plan = e.getValue();
            String missing = plan.activations().stream().filter(t -> !params.containsKey(t) && !ranges.containsKey(t)).findFirst()
                    .orElse(plan.output() != null && !plan.sameScale() && !ranges.containsKey(plan.output().name()) ? plan.output().name() : null);
            if (plan.needsQuantizedInput() && !params.containsKey(plan.activations().getFirst())) {
                ctx.explain(n.name(), "kept in float: its input '" + plan.activations().getFirst() + "' is not quantized");
                continue;
            }
            if (missing != null) {
                ctx.explain(n.name(), "kept in float: no calibration data for '" + missing + "'");
                continue;
            }
            for (String t : plan.activations()) params.computeIfAbsent(t, k -> paramsOf(ranges.get(k), settings));
            if (plan.output() != null) {
                params.put(plan.output().name(), plan.sameScale() ? params.get(plan.activations().getFirst())
                        : paramsOf(ranges.get(plan.output().name()), settings));
            }
            if (plan.activation() != null) ctx.explain(plan.activation().name(), "folded into the output range of " + n.describe());
            quantized.add(n);
        }
        for (Node n : graph.nodes()) {
            boolean folded = quantized.stream().anyMatch(q -> plans.get(q).activation() == n);
            if (QuantizedOps.isFoldableActivation(n) && !folded && !settings.keepsFloat(n.name())) {
                ctx.explain(n.name(), "kept in float: not folded into the output range of a quantized op");
            }
        }
        emit(graph, g, plans, quantized, params, ctx);
        return g.result(Map.of());
    }

    private static QuantParams paramsOf(double[] range, QuantizationSettings settings) {
        return QuantParams.of(range[0], range[1], settings.activations());
    }

    /** Rewrites each quantized node's inputs and appends the Q/DQ pair after each quantized tensor's producer. */
    private static void emit(Graph graph, GraphRewrite g, Map<Node, QuantizedOps.Plan> plans, List<Node> quantized,
                             Map<String, QuantParams> params, PassContext ctx) {
        QdqNodes qdq = new QdqNodes(g);
        Map<String, Node> producers = new HashMap<>();
        graph.nodes().forEach(n -> n.outputs().forEach(v -> producers.put(v.name(), n)));
        Map<Node, List<Node>> before = new HashMap<>();
        Map<Node, List<Node>> after = new HashMap<>();
        Map<Node, Map<Integer, Value>> newInputs = new HashMap<>();
        Map<Node, Map<Integer, Value>> newOutputs = new HashMap<>();
        Map<String, Value> inputReplacements = new HashMap<>();
        for (var e : params.entrySet()) {
            String t = e.getKey();
            Value v = graph.valuesByName().get(t);
            Node producer = producers.get(t);
            if (producer == null) {
                Value dq = new Value(g.freshName(t + "_dequantized"), v.type());
                Node first = graph.nodes().stream().filter(n -> GraphUses.namesRead(n).contains(t)).findFirst().orElseThrow();
                before.computeIfAbsent(first, k -> new ArrayList<>()).addAll(qdq.fakeQuantize(v, dq, e.getValue(), t));
                inputReplacements.put(t, dq);
            } else {
                Value raw = new Value(g.freshName(t + "_float"), v.type());
                newOutputs.computeIfAbsent(producer, k -> new HashMap<>()).put(producer.outputs().indexOf(v), raw);
                after.computeIfAbsent(producer, k -> new ArrayList<>()).addAll(qdq.fakeQuantize(raw, v, e.getValue(), t));
            }
        }
        for (Node n : quantized) {
            QuantizedOps.Plan plan = plans.get(n);
            Map<Integer, Value> inputs = newInputs.computeIfAbsent(n, k -> new HashMap<>());
            if (plan.weight() >= 0) {
                Tensor w = g.constant(n.input(plan.weight()));
                Node dq = qdq.weight(w, plan.weightAxis(), n.name() + "_weight");
                before.computeIfAbsent(n, k -> new ArrayList<>()).add(dq);
                inputs.put(plan.weight(), dq.output(0));
                Value b = n.input(plan.weight() + 1);
                if (plan.hasBias()) {
                    double xScale = params.get(plan.activations().getFirst()).scale();
                    Node bdq = qdq.bias(g.constant(b), xScale, QdqNodes.weightScales(w, plan.weightAxis()), n.name() + "_bias");
                    before.get(n).add(bdq);
                    inputs.put(plan.weight() + 1, bdq.output(0));
                }
            }
            ctx.explain(n.name(), "quantized: " + plan.describe(params));
            ctx.rewrote(1);
        }
        for (Node n : graph.nodes()) {
            List<Value> ins = new ArrayList<>(n.inputs());
            newInputs.getOrDefault(n, Map.of()).forEach(ins::set);
            for (int i = 0; i < ins.size(); i++) {
                Value r = inputReplacements.get(ins.get(i).name());
                if (r != null && !ins.get(i).isAbsent()) ins.set(i, r);
            }
            List<Value> outs = new ArrayList<>(n.outputs());
            newOutputs.getOrDefault(n, Map.of()).forEach(outs::set);
            if (ins.equals(n.inputs()) && outs.equals(n.outputs()) && !before.containsKey(n) && !after.containsKey(n)) continue;
            List<Node> with = new ArrayList<>(before.getOrDefault(n, List.of()));
            with.add(new Node(n.name(), n.domain(), n.op(), ins, outs, n.attributes()));
            with.addAll(after.getOrDefault(n, List.of()));
            g.replace(n, with);
        }
    }
}
