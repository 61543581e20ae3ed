package dev.kiln.passes.patterns;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.KilnOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GELU spelled out, anchored at its Erf or Tanh: {@code x·0.5·(1+Erf(x/√2))} (or {@code x·(1/√2)}) and
 * {@code 0.5·x·(1+Tanh(√(2/π)·(x+0.044715·x³)))} with {@code x³} as {@code Pow(x,3)}; the products in any order.
 * Becomes ONNX Gelu from opset 20, else {@code kiln:Gelu}.
 */
public final class GeluMatcher implements PatternMatcher {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    @Override
    public String produces() { return "Gelu"; }

    @Override
    public PatternMatch match(Node anchor, PatternGraph g) {
        if (!anchor.domain().isEmpty()) return null;
        List<Node> nodes = new ArrayList<>();
        Value x;
        String mode;
        if (anchor.op().equals("Erf")) {
            x = erfArgument(anchor, g, nodes);
            mode = "none";
        } else if (anchor.op().equals("Tanh")) {
            x = tanhArgument(anchor, g, nodes);
            mode = "tanh";
        } else {
            return null;
        }
        if (x == null) {
            if (mode.equals("none") || g.producer(anchor.input(0), "Mul") != null) {
                g.nearMiss(anchor, "Gelu not recognized: the " + anchor.op() + "'s argument is not "
                        + (mode.equals("none") ? "x/√2 or x·(1/√2)" : "√(2/π)·(x+0.044715·x³)") + " read only by it");
            }
            return null;
        }
        nodes.add(anchor);
        Node result = halfProductTail(anchor, x, g, nodes);
        if (result == null) return null;
        if (!PatternGraph.sameType(result.output(0), x)) {
            g.nearMiss(anchor, "Gelu not recognized: the result's type differs from x's (the constants broadcast it)");
            return null;
        }
        boolean onnx = g.opset() >= 20;
        Node gelu = new Node(result.name(), onnx ? "" : KilnOps.DOMAIN, "Gelu", List.of(x), List.of(result.output(0)),
                Map.of("approximate", Attribute.of(mode)));
        return new PatternMatch(nodes, gelu, "Gelu (approximate=" + mode + ") recognized from " + nodes.size() + " nodes");
    }

    /** x of {@code Erf(x/√2)} or {@code Erf(x·(1/√2))}; the Div or Mul joins {@code nodes}. */
    private static Value erfArgument(Node erf, PatternGraph g, List<Node> nodes) {
        Node div = g.producer(erf.input(0), "Div");
        if (div != null && g.isScalar(div.input(1), SQRT2) && g.onlyReadBy(div.output(0), erf)) {
            nodes.add(div);
            return div.input(0);
        }
        Node mul = g.producer(erf.input(0), "Mul");
        if (mul != null && g.onlyReadBy(mul.output(0), erf)) {
            for (int i = 0; i < 2; i++) {
                if (g.isScalar(mul.input(i), 1 / SQRT2)) {
                    nodes.add(mul);
                    return mul.input(1 - i);
                }
            }
        }
        return null;
    }

    /** x of {@code Tanh(√(2/π)·(x + 0.044715·Pow(x,3)))}; the five inner nodes join {@code nodes}. */
    private static Value tanhArgument(Node tanh, PatternGraph g, List<Node> nodes) {
        Node scale = g.producer(tanh.input(0), "Mul");
        if (scale == null || !g.onlyReadBy(scale.output(0), tanh)) return null;
        Value inner = scaledOperand(scale, SQRT_2_OVER_PI, g);
        Node add = inner == null ? null : g.producer(inner, "Add");
        if (add == null || !g.onlyReadBy(add.output(0), scale)) return null;
        for (int i = 0; i < 2; i++) {
            Value x = add.input(i);
            Node cubic = g.producer(add.input(1 - i), "Mul");
            if (cubic == null || !g.onlyReadBy(cubic.output(0), add)) continue;
            Value cube = scaledOperand(cubic, 0.044715, g);
            Node pow = cube == null ? null : g.producer(cube, "Pow");
            if (pow == null || !pow.input(0).name().equals(x.name()) || !g.isScalar(pow.input(1), 3)) continue;
            if (!g.onlyReadBy(pow.output(0), cubic)) {
                g.nearMiss(tanh, "Gelu (tanh) not recognized: x³ is also read elsewhere");
                return null;
            }
            nodes.addAll(List.of(pow, cubic, add, scale));
            return x;
        }
        return null;
    }

    /** For {@code Mul(c, v)} or {@code Mul(v, c)} with constant c ≈ {@code factor}: v, else null. */
    private static Value scaledOperand(Node mul, double factor, PatternGraph g) {
        if (g.isScalar(mul.input(0), factor)) return mul.input(1);
        if (g.isScalar(mul.input(1), factor)) return mul.input(0);
        return null;
    }

    /**
     * From {@code f = Erf(..)} or {@code Tanh(..)}: {@code Add(f, 1)} times x times 0.5 in any grouping
     * ({@code (x·(1+f))·0.5}, {@code (0.5·(1+f))·x}, {@code (x·0.5)·(1+f)}). Returns the last Mul; all join {@code nodes}.
     */
    private static Node halfProductTail(Node f, Value x, PatternGraph g, List<Node> nodes) {
        Node plusOne = g.soleReader(f.output(0), "Add");
        if (plusOne == null || !g.isScalar(PatternGraph.other(plusOne, f.output(0)), 1)) {
            g.nearMiss(f, "Gelu not recognized: the " + f.op() + " result is read elsewhere or not by Add(·, 1)");
            return null;
        }
        Node first = g.soleReader(plusOne.output(0), "Mul");
        if (first == null) {
            g.nearMiss(f, "Gelu not recognized: 1+" + f.op() + " is not read by a sole Mul");
            return null;
        }
        Value partner = PatternGraph.other(first, plusOne.output(0));
        Node half = g.producer(partner, "Mul");
        if (half != null && g.onlyReadBy(half.output(0), first) && isTimesHalf(half, x, g)) {
            nodes.addAll(List.of(half, plusOne, first));
            return first;
        }
        boolean partnerIsX = partner.name().equals(x.name());
        if (!partnerIsX && !g.isScalar(partner, 0.5)) {
            g.nearMiss(f, "Gelu not recognized: 1+" + f.op() + " is multiplied by " + partner.name() + ", not x or 0.5");
            return null;
        }
        Node second = g.soleReader(first.output(0), "Mul");
        Value last = second == null ? null : PatternGraph.other(second, first.output(0));
        if (last == null || !(partnerIsX ? g.isScalar(last, 0.5) : last.name().equals(x.name()))) {
            g.nearMiss(f, "Gelu not recognized: the product lacks its factor " + (partnerIsX ? "0.5" : "x") + " or is read elsewhere");
            return null;
        }
        nodes.addAll(List.of(plusOne, first, second));
        return second;
    }

    private static boolean isTimesHalf(Node mul, Value x, PatternGraph g) {
        Value other = PatternGraph.other(mul, x);
        return other != null && g.isScalar(other, 0.5);
    }
}
