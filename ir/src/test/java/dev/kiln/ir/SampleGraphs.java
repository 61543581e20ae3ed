package dev.kiln.ir;

import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.ir.DType.BOOL;
import static dev.kiln.ir.DType.F32;
import static dev.kiln.ir.DType.I64;

/** Hand-built graphs shared by the IR tool tests. */
public final class SampleGraphs {
    private SampleGraphs() {}

    public static final String D = "test.kiln";

    public static Value v(String name, ValueType type) { return new Value(name, type); }

    public static TensorType t(DType dtype, Object... dims) {
        List<Dim> ds = new ArrayList<>();
        for (Object d : dims) {
            ds.add(d instanceof String s ? (s.equals("?") ? Dim.UNKNOWN : Dim.symbolic(s)) : Dim.of(((Number) d).longValue()));
        }
        return new TensorType(dtype, Shape.of(ds));
    }

    public static Node node(String name, String op, List<Value> inputs, List<Value> outputs, Map<String, Attribute> attrs) {
        return new Node(name, D, op, inputs, outputs, attrs);
    }

    public static Map<String, Attribute> attrs(Object... keyValues) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], (Attribute) keyValues[i + 1]);
        return m;
    }

    public static Map<String, Integer> opsets() { return Map.of(D, 2); }

    /** A valid graph of test ops: pooling, a constant-shaped reshape, a concat, and an If whose branches capture. */
    public static Graph valid() {
        TensorType image = t(F32, "batch", 3, 8, 8);
        TensorType pooled = t(F32, "batch", 3, 4, 4);
        Value x = v("x", image);
        Value cond = v("cond", t(BOOL));
        Value shape = v("shape", t(I64, 2));
        Value p = v("pooled", pooled);
        Value both = v("both", t(F32, "batch", 6, 4, 4));
        Value flat = v("flat", t(F32, 2, 48));
        Value y = v("y", t(F32, 2, 48));
        Graph then = new Graph("then", List.of(), List.of(v("t", t(F32, 2, 48))),
                List.of(node("double", "Add", List.of(flat, flat), List.of(v("t", t(F32, 2, 48))), Map.of())), Map.of(), opsets());
        Graph otherwise = new Graph("else", List.of(), List.of(flat), List.of(), Map.of(), opsets());
        List<Node> nodes = List.of(
                node("pool", "Pool", List.of(x), List.of(p), attrs("kernel", Attribute.ints(2, 2), "stride", Attribute.of(2L))),
                node("concat", "Concat", List.of(p, p), List.of(both), attrs("axis", Attribute.of(1L))),
                node("reshape", "Reshape", List.of(both, shape), List.of(flat), Map.of()),
                node("choose", "If", List.of(cond), List.of(y), attrs("then_branch", Attribute.of(then), "else_branch", Attribute.of(otherwise))));
        Map<String, Tensor> constants = Map.of("shape", Tensor.ofLongs(I64, new long[] {2}, 2, 48));
        return new Graph("main", List.of(x, cond), List.of(y), nodes, constants, opsets());
    }
}
