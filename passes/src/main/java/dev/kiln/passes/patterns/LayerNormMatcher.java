package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.KilnOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LayerNormalization spelled out (PyTorch before 1.13, opsets before 17), anchored at the mean:
 * {@code d = x - ReduceMean(x); d / Sqrt(ReduceMean(Pow(d, 2)) + eps) · gamma + beta} with {@code d·d} for the
 * square, both means over the same trailing axes with keepdims=1, and beta optional. Becomes ONNX
 * LayerNormalization from opset 17, else {@code kiln:LayerNormalization}.
 */
public final class LayerNormMatcher implements PatternMatcher {
    @Override
    public String produces() { return "LayerNormalization"; }

    @Override
    public PatternMatch match(Node mean, PatternGraph g) {
        if (!mean.domain().isEmpty() || !mean.op().equals("ReduceMean")) return null;
        Value x = mean.input(0);
        Node sub = g.soleReader(mean.output(0), "Sub");
        if (sub == null || !sub.input(0).name().equals(x.name()) || !sub.input(1).name().equals(mean.output(0).name())) return null;
        Value d = sub.output(0);
        Node square = null, div = null;
        for (Node r : g.readers(d)) {
            if (r.op().equals("Div") && r.input(0).name().equals(d.name())) div = r;
            else if (r.op().equals("Pow") && g.isScalar(r.input(1), 2)) square = r;
            else if (r.op().equals("Mul") && r.input(0).name().equals(d.name()) && r.input(1).name().equals(d.name())) square = r;
        }
        if (square == null || div == null || !g.onlyReadByAny(d, square, div)) {
            g.nearMiss(mean, "LayerNormalization not recognized: x - mean is not read by exactly a square and a Div");
            return null;
        }
        Node var = g.soleReader(square.output(0), "ReduceMean");
        Node addEps = var == null ? null : g.soleReader(var.output(0), "Add");
        Value epsValue = addEps == null ? null : PatternGraph.other(addEps, var.output(0));
        Node sqrt = addEps == null ? null : g.soleReader(addEps.output(0), "Sqrt");
        if (sqrt == null || Double.isNaN(g.scalar(epsValue)) || !g.onlyReadBy(sqrt.output(0), div)
                || !div.input(1).name().equals(sqrt.output(0).name())) {
            g.nearMiss(mean, "LayerNormalization not recognized: no sole ReduceMean(square) + eps → Sqrt → Div chain");
            return null;
        }
        if (!(x.type() instanceof TensorType t) || !t.shape().hasRank()) return null;
        int rank = t.shape().rank();
        int[] axes = ReductionAxes.of(mean, g, rank);
        int axis = ReductionAxes.trailingStart(axes, rank);
        if (axis < 0 || !Arrays.equals(axes, ReductionAxes.of(var, g, rank))) {
            g.nearMiss(mean, "LayerNormalization not recognized: the means are not over the same trailing axes with keepdims=1");
            return null;
        }
        Node scale = g.soleReader(div.output(0), "Mul");
        Value gamma = scale == null ? null : PatternGraph.other(scale, div.output(0));
        if (gamma == null || !fitsNormalizedDims(gamma, rank - axis)) {
            g.nearMiss(mean, "LayerNormalization not recognized: the normalized value is not scaled by a gamma over the normalized axes");
            return null;
        }
        List<Node> nodes = new ArrayList<>(List.of(mean, sub, square, var, addEps, sqrt, div, scale));
        List<Value> inputs = new ArrayList<>(List.of(x, gamma));
        Node result = scale;
        Node shift = g.soleReader(scale.output(0), "Add");
        Value beta = shift == null ? null : PatternGraph.other(shift, scale.output(0));
        if (beta != null && fitsNormalizedDims(beta, rank - axis)) {
            nodes.add(shift);
            inputs.add(beta);
            result = shift;
        }
        if (!PatternGraph.sameType(result.output(0), x)) {
            g.nearMiss(mean, "LayerNormalization not recognized: the result's type differs from x's");
            return null;
        }
        boolean onnx = g.opset() >= 17;
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("axis", Attribute.of((long) axis));
        attrs.put("epsilon", Attribute.of((float) g.scalar(epsValue)));
        Node ln = new Node(result.name(), onnx ? "" : KilnOps.DOMAIN, "LayerNormalization", inputs, List.of(result.output(0)), attrs);
        return new PatternMatch(nodes, ln, "LayerNormalization (axis " + axis + ") recognized from " + nodes.size() + " nodes");
    }

    /** Gamma and beta broadcast over the normalized (trailing) axes only, with the input's element type. */
    private static boolean fitsNormalizedDims(Value p, int normalizedRank) {
        return p.type() instanceof TensorType t && t.shape().hasRank() && t.shape().rank() <= normalizedRank && t.dtype().isFloat();
    }
}
