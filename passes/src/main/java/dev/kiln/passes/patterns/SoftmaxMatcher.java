package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Softmax spelled out, anchored at its Div: {@code e = Exp(x - ReduceMax(x, [a])); e / ReduceSum(e, [a])} (or
 * {@code Exp(x)} without the max, which is the same function), reductions with {@code keepdims=1} over one axis.
 * Before opset 13 ONNX Softmax flattens from its axis, so there only the last axis matches.
 */
public final class SoftmaxMatcher implements PatternMatcher {
    @Override
    public String produces() { return "Softmax"; }

    @Override
    public PatternMatch match(Node div, PatternGraph g) {
        if (!div.domain().isEmpty() || !div.op().equals("Div")) return null;
        Node exp = g.producer(div.input(0), "Exp");
        Node sum = g.producer(div.input(1), "ReduceSum");
        if (exp == null || sum == null || !sum.input(0).name().equals(exp.output(0).name())) return null;
        List<Node> nodes = new ArrayList<>();
        Value x = exp.input(0);
        Node sub = g.producer(x, "Sub");
        Node found = sub == null ? null : g.producer(sub.input(1), "ReduceMax");
        Node max = found != null && found.input(0).name().equals(sub.input(0).name()) ? found : null;
        if (max != null) {
            if (!g.onlyReadBy(sub.output(0), exp) || !g.onlyReadBy(max.output(0), sub)) {
                g.nearMiss(div, "Softmax not recognized: x - ReduceMax(x) is also read elsewhere");
                return null;
            }
            x = sub.input(0);
            nodes.addAll(List.of(max, sub));
        }
        if (!g.onlyReadByAny(exp.output(0), div, sum) || !g.onlyReadBy(sum.output(0), div)) {
            g.nearMiss(div, "Softmax not recognized: Exp or ReduceSum is also read elsewhere");
            return null;
        }
        if (!(x.type() instanceof TensorType t) || !t.shape().hasRank() || !PatternGraph.sameType(x, div.output(0))) return null;
        int rank = t.shape().rank();
        Integer axis = ReductionAxes.single(sum, g, rank);
        if (axis == null || (max != null && !axis.equals(ReductionAxes.single(max, g, rank)))) {
            g.nearMiss(div, "Softmax not recognized: the reductions are not over one common axis with keepdims=1");
            return null;
        }
        if (g.opset() < 13 && axis != rank - 1) {
            g.nearMiss(div, "Softmax not recognized: before opset 13 Softmax flattens, and the axis " + axis + " is not the last");
            return null;
        }
        nodes.addAll(List.of(exp, sum, div));
        Node softmax = new Node(div.name(), "", "Softmax", List.of(x), List.of(div.output(0)),
                Map.of("axis", Attribute.of((long) axis)));
        return new PatternMatch(nodes, softmax, "Softmax (axis " + axis + ") recognized from " + nodes.size() + " nodes");
    }
}
