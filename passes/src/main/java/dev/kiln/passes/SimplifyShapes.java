package dev.kiln.passes;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cancels and merges pairs of layout ops whose intermediate value nothing else reads: Reshape→Reshape becomes one
 * Reshape, Transpose→Transpose one Transpose with the composed permutation (none when it is the identity), and
 * Unsqueeze→Squeeze or Squeeze→Unsqueeze over the same axes cancel. A cancelled pair that wrote a graph output leaves
 * an Identity so the output name survives.
 */
public final class SimplifyShapes implements Pass {
    @Override
    public String name() { return "simplify-shapes"; }

    @Override
    public String summary() { return "merge Reshape/Transpose pairs and cancel Squeeze/Unsqueeze pairs"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        GraphUses uses = GraphUses.of(graph);
        Map<String, Integer> useCount = new HashMap<>();
        Map<String, Integer> position = new HashMap<>(); // value → index in `nodes` of the node defining it
        List<Node> nodes = new ArrayList<>(graph.nodes());
        Map<String, String> aliases = new HashMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        int rewrites = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node outer = nodes.get(i);
            for (Value v : outer.outputs()) {
                if (v.isAbsent()) continue;
                position.put(v.name(), i);
                useCount.put(v.name(), uses.useCount(v.name()));
            }
            if (!outer.domain().isEmpty() || outer.inputs().isEmpty() || outer.input(0).isAbsent()) continue;
            String mid = resolve(aliases, outer.input(0).name());
            Integer at = position.get(mid);
            if (at == null || nodes.get(at) == null) continue;
            Node inner = nodes.get(at);
            Pair pair = new Pair(inner, outer, graph, constants);
            if (!pair.isCandidate()) continue;
            if (useCount.getOrDefault(mid, 0) != 1) {
                ctx.explain(outer.name(), inner.op() + "→" + outer.op() + " not simplified: '" + mid + "' has other readers");
                continue;
            }
            Pair.Result result = pair.simplify();
            if (result.reason() != null) {
                ctx.explain(outer.name(), inner.op() + "→" + outer.op() + " not simplified: " + result.reason());
                continue;
            }
            String source = inner.input(0).name();
            nodes.set(at, null);
            String out = outer.output(0).name();
            if (result.replacement() != null) {
                nodes.set(i, result.replacement());
                ctx.explain(outer.name(), inner.op() + " '" + inner.name() + "' and " + outer.op() + " merged into one");
            } else if (!uses.isGraphOutput(out)) {
                nodes.set(i, null);
                aliases.put(out, source);
                useCount.merge(source, useCount.getOrDefault(out, 0) - 1, Integer::sum);
                ctx.explain(outer.name(), inner.op() + " '" + inner.name() + "' and " + outer.op() + " cancel; readers now read '" + source + "'");
            } else {
                nodes.set(i, new Node(outer.name(), "", "Identity", List.of(inner.input(0)), List.of(outer.output(0)), Map.of()));
                ctx.explain(outer.name(), inner.op() + " '" + inner.name() + "' and " + outer.op()
                        + " cancel; an Identity keeps graph output '" + out + "'");
            }
            rewrites++;
        }
        if (rewrites == 0) return graph;
        ctx.rewrote(rewrites);
        Graph simplified = graph.withNodes(nodes.stream().filter(n -> n != null).toList()).withConstants(constants);
        Map<String, String> renames = new HashMap<>();
        aliases.keySet().forEach(k -> renames.put(k, resolve(aliases, k)));
        return GraphRewiring.retype(GraphRewiring.rename(simplified, renames));
    }

    private static String resolve(Map<String, String> aliases, String name) {
        String n = name;
        while (aliases.containsKey(n)) n = aliases.get(n);
        return n;
    }

    /** One inner→outer pair of layout ops; the inner's output is the outer's data input. */
    private record Pair(Node inner, Node outer, Graph graph, Map<String, Tensor> constants) {
        /** A merged node, or null with no reason when the pair cancels, or a reason it cannot be simplified. */
        record Result(Node replacement, String reason) {}

        boolean isCandidate() {
            if (!inner.domain().isEmpty()) return false;
            String p = inner.op() + "→" + outer.op();
            return switch (p) {
                case "Reshape→Reshape", "Transpose→Transpose", "Unsqueeze→Squeeze", "Squeeze→Unsqueeze" -> true;
                default -> false;
            };
        }

        Result simplify() {
            return switch (outer.op()) {
                case "Reshape" -> reshapes();
                case "Transpose" -> transposes();
                default -> squeezes();
            };
        }

        private Result reshapes() {
            long[] target = GraphRewiring.constantInts(graph, outer.input(1));
            Attribute allowZero = outer.attribute("allowzero");
            boolean literalZeros = allowZero != null && allowZero.asInt() == 1;
            if (target != null && (literalZeros || Arrays.stream(target).noneMatch(d -> d == 0))) {
                return merged(new Node(outer.name(), "", "Reshape", List.of(inner.input(0), outer.input(1)), outer.outputs(), outer.attributes()));
            }
            // The target copies dims (0) of the intermediate or is not constant: spell out the static result shape.
            if (!(outer.output(0).type() instanceof TensorType t) || !t.shape().isStatic()) {
                return new Result(null, "the target shape depends on the intermediate shape and the result shape is not static");
            }
            long[] shape = t.shape().toArray();
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) return new Result(null, "the result has a zero-sized dim");
            String name = freshName(outer.output(0).name() + "_shape");
            constants.put(name, Tensor.ofLongs(DType.I64, new long[] {shape.length}, shape));
            Value shapeValue = new Value(name, constants.get(name).type());
            return merged(new Node(outer.name(), "", "Reshape", List.of(inner.input(0), shapeValue), outer.outputs(), Map.of()));
        }

        private Result transposes() {
            long[] first = perm(inner, inner.input(0));
            long[] second = perm(outer, outer.input(0));
            if (first == null || second == null) return new Result(null, "a permutation is unknown (no perm and unknown rank)");
            if (first.length != second.length) return new Result(null, "the permutations have different lengths");
            long[] composed = new long[second.length];
            boolean identity = true;
            for (int i = 0; i < composed.length; i++) {
                composed[i] = first[(int) second[i]];
                identity &= composed[i] == i;
            }
            if (identity) return new Result(null, null);
            return merged(new Node(outer.name(), "", "Transpose", List.of(inner.input(0)), outer.outputs(),
                    Map.of("perm", Attribute.ints(composed))));
        }

        private Result squeezes() {
            long[] innerAxes = axes(inner);
            long[] outerAxes = axes(outer);
            if (innerAxes == null || outerAxes == null) return new Result(null, "axes are absent or not constant");
            // Both axis lists index the larger-rank side: the Unsqueeze output, or the Squeeze input.
            Value larger = inner.op().equals("Unsqueeze") ? inner.output(0) : inner.input(0);
            if (!(larger.type() instanceof TensorType t) || !t.shape().hasRank()) return new Result(null, "rank is unknown");
            int rank = t.shape().rank();
            if (!normalized(innerAxes, rank).equals(normalized(outerAxes, rank))) return new Result(null, "the axes differ");
            return new Result(null, null);
        }

        private Result merged(Node node) { return new Result(node, null); }

        private long[] perm(Node node, Value in) {
            Attribute p = node.attribute("perm");
            if (p != null) return p.asInts();
            if (!(in.type() instanceof TensorType t) || !t.shape().hasRank()) return null;
            long[] reversed = new long[t.shape().rank()];
            for (int i = 0; i < reversed.length; i++) reversed[i] = reversed.length - 1 - i;
            return reversed;
        }

        private long[] axes(Node node) {
            if (node.hasAttribute("axes")) return node.attribute("axes").asInts();
            return GraphRewiring.constantInts(graph, node.input(1));
        }

        private static Set<Long> normalized(long[] axes, int rank) {
            Set<Long> set = new TreeSet<>();
            for (long a : axes) set.add(a < 0 ? a + rank : a);
            return set;
        }

        private String freshName(String base) {
            Map<String, Value> taken = graph.valuesByName();
            String name = base;
            for (int k = 1; taken.containsKey(name) || constants.containsKey(name); k++) name = base + "_" + k;
            return name;
        }
    }
}
