package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.KilnOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scaled dot-product attention spelled out, anchored at its Softmax (over the last axis):
 * {@code MatMul(Softmax(MatMul(Q, Kt) · s [+ mask]), V)}, the scale a scalar constant as {@code Mul(·, s)} or
 * {@code Div(·, 1/s)} (absent means 1), on the scores or on Q before the first MatMul (as PyTorch's
 * MultiheadAttention exports it), or both. Becomes {@code kiln:Attention(Q, Kt, V[, mask])} with attribute scale.
 */
public final class AttentionMatcher implements PatternMatcher {
    @Override
    public String produces() { return "kiln:Attention"; }

    @Override
    public PatternMatch match(Node softmax, PatternGraph g) {
        if (!softmax.domain().isEmpty() || !softmax.op().equals("Softmax")) return null;
        Value probs = softmax.output(0);
        if (!(probs.type() instanceof TensorType t) || !t.shape().hasRank() || t.shape().rank() < 2) return null;
        long axis = softmax.hasAttribute("axis") ? softmax.attribute("axis").asInt() : (g.opset() < 13 ? 1 : -1);
        if (axis != -1 && axis != t.shape().rank() - 1) return null;
        Node pv = g.soleReader(probs, "MatMul");
        if (pv == null || !pv.input(0).name().equals(probs.name())) {
            if (g.readers(probs).stream().noneMatch(r -> r.op().equals("MatMul"))) return null;
            g.nearMiss(softmax, "Attention not recognized: the Softmax is not read by exactly the left side of one MatMul");
            return null;
        }
        List<Node> nodes = new ArrayList<>(List.of(softmax, pv));
        List<Value> inputs = new ArrayList<>();
        Value scores = softmax.input(0);
        Value mask = null;
        Node add = g.producer(scores, "Add");
        if (add != null) {
            if (!g.onlyReadBy(add.output(0), softmax)) return missed(g, softmax, "the masked scores are also read elsewhere");
            for (int i = 0; i < 2 && mask == null; i++) {
                if (isScaledScores(add.input(i), g)) {
                    scores = add.input(i);
                    mask = add.input(1 - i);
                }
            }
            if (mask == null) return missed(g, softmax, "Add before Softmax does not add a mask to MatMul scores");
            nodes.add(add);
        }
        float scale = 1f;
        Node scaling = scalingOf(scores, g);
        if (scaling != null) {
            double s = scaleFactor(scaling, g);
            nodes.add(scaling);
            scale = (float) s;
            scores = unscaled(scaling, g);
        }
        Node qk = g.producer(scores, "MatMul");
        Node reader = scaling != null ? scaling : add != null ? add : softmax;
        if (qk == null || !g.onlyReadBy(qk.output(0), reader)) {
            return missed(g, softmax, "the scores are not a MatMul read only by the attention chain");
        }
        nodes.add(qk);
        Value q = qk.input(0);
        Node preScaling = scalingOf(q, g);
        if (preScaling != null) {
            scale = (float) (scale * scaleFactor(preScaling, g));
            nodes.add(preScaling);
            q = unscaled(preScaling, g);
        }
        inputs.addAll(List.of(q, qk.input(1), pv.input(1)));
        if (mask != null) inputs.add(mask);
        for (Value v : inputs) {
            if (!(v.type() instanceof TensorType vt) || !vt.shape().hasRank() || vt.shape().rank() < 2 && v != mask) {
                return missed(g, softmax, v.name() + " has rank below 2 or unknown");
            }
        }
        Node attention = new Node(pv.name(), KilnOps.DOMAIN, "Attention", inputs, List.of(pv.output(0)),
                Map.of("scale", Attribute.of(scale)));
        return new PatternMatch(nodes, attention, "Attention (scale " + scale + (mask != null ? ", masked" : "")
                + ") recognized from " + nodes.size() + " nodes");
    }

    /** True when {@code v} is MatMul scores, optionally scaled by a scalar constant. */
    private static boolean isScaledScores(Value v, PatternGraph g) {
        Node scaling = scalingOf(v, g);
        Value raw = scaling == null ? v : unscaled(scaling, g);
        return g.producer(raw, "MatMul") != null;
    }

    /** The Mul or Div by a scalar constant that produces {@code v}, read only by one node, else null. */
    private static Node scalingOf(Value v, PatternGraph g) {
        Node mul = g.producer(v, "Mul");
        if (mul != null && (!Double.isNaN(g.scalar(mul.input(1))) || !Double.isNaN(g.scalar(mul.input(0))))) {
            return g.hasSingleReader(v) && lowRankConstants(mul, v, g) ? mul : null;
        }
        Node div = g.producer(v, "Div");
        return div != null && !Double.isNaN(g.scalar(div.input(1))) && g.hasSingleReader(v) && lowRankConstants(div, v, g) ? div : null;
    }

    /** A scale constant of higher rank than the scores would broadcast them to more dims: not a plain scale. */
    private static boolean lowRankConstants(Node scaling, Value v, PatternGraph g) {
        int rank = v.type() instanceof TensorType t && t.shape().hasRank() ? t.shape().rank() : 0;
        for (Value in : scaling.inputs()) {
            var c = g.constant(in);
            if (c != null && c.rank() > rank) return false;
        }
        return true;
    }

    /** The operand a scaling Mul or Div scales (the one that is not the constant). */
    private static Value unscaled(Node scaling, PatternGraph g) {
        return scaling.op().equals("Div") || !Double.isNaN(g.scalar(scaling.input(1))) ? scaling.input(0) : scaling.input(1);
    }

    private static double scaleFactor(Node scaling, PatternGraph g) {
        if (scaling.op().equals("Div")) return 1 / g.scalar(scaling.input(1));
        double s = g.scalar(scaling.input(1));
        return Double.isNaN(s) ? g.scalar(scaling.input(0)) : s;
    }

    private static PatternMatch missed(PatternGraph g, Node softmax, String why) {
        g.nearMiss(softmax, "Attention not recognized: " + why);
        return null;
    }
}
