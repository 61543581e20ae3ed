package dev.kiln.ir;

import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Structural equality of graphs for tests: tensors by dtype, shape and bits (Tensor has identity equality),
 * float attributes by raw bits (so NaN payloads and -0 count), and attribute maps in order. A failure names the
 * path to the first difference.
 */
public final class GraphAssert {
    private GraphAssert() {}

    public static void assertSameGraph(Graph expected, Graph actual) { graph("@" + expected.name(), expected, actual); }

    private static void graph(String at, Graph e, Graph a) {
        same(at + " name", e.name(), a.name());
        same(at + " inputs", e.inputs(), a.inputs());
        same(at + " outputs", e.outputs(), a.outputs());
        same(at + " opsets", List.copyOf(e.opsets().entrySet()), List.copyOf(a.opsets().entrySet()));
        same(at + " constant names", List.copyOf(e.constants().keySet()), List.copyOf(a.constants().keySet()));
        for (String name : e.constants().keySet()) tensor(at + " constant " + name, e.constants().get(name), a.constants().get(name));
        same(at + " node count", e.nodes().size(), a.nodes().size());
        for (int i = 0; i < e.nodes().size(); i++) node(at + " node " + i, e.nodes().get(i), a.nodes().get(i));
    }

    private static void node(String at, Node e, Node a) {
        same(at + " name", e.name(), a.name());
        same(at + " domain", e.domain(), a.domain());
        same(at + " op", e.op(), a.op());
        same(at + " inputs", e.inputs(), a.inputs());
        same(at + " outputs", e.outputs(), a.outputs());
        same(at + " attribute names", List.copyOf(e.attributes().keySet()), List.copyOf(a.attributes().keySet()));
        for (Map.Entry<String, Attribute> x : e.attributes().entrySet()) {
            attribute(at + " attribute " + x.getKey(), x.getValue(), a.attributes().get(x.getKey()));
        }
    }

    private static void attribute(String at, Attribute e, Attribute a) {
        same(at + " kind", e.kind(), a.kind());
        switch (e.kind()) {
            case FLOAT -> same(at, Float.floatToRawIntBits(e.asFloat()), Float.floatToRawIntBits(a.asFloat()));
            case FLOATS -> {
                float[] fe = e.asFloats();
                float[] fa = a.asFloats();
                same(at + " length", fe.length, fa.length);
                for (int i = 0; i < fe.length; i++) same(at + "[" + i + "]", Float.floatToRawIntBits(fe[i]), Float.floatToRawIntBits(fa[i]));
            }
            case TENSOR -> tensor(at, e.asTensor(), a.asTensor());
            case TENSORS -> {
                same(at + " length", e.asTensors().size(), a.asTensors().size());
                for (int i = 0; i < e.asTensors().size(); i++) tensor(at + "[" + i + "]", e.asTensors().get(i), a.asTensors().get(i));
            }
            case GRAPH -> graph(at, e.asGraph(), a.asGraph());
            case GRAPHS -> {
                same(at + " length", e.asGraphs().size(), a.asGraphs().size());
                for (int i = 0; i < e.asGraphs().size(); i++) graph(at + "[" + i + "]", e.asGraphs().get(i), a.asGraphs().get(i));
            }
            default -> same(at, e, a);
        }
    }

    private static void tensor(String at, Tensor e, Tensor a) {
        if (a == null || !e.contentEquals(a)) fail(at + ": expected " + e + " " + e.contentHash() + ", got " + a);
    }

    private static void same(String at, Object e, Object a) {
        if (!e.equals(a)) fail(at + ": expected <" + e + "> but was <" + a + ">");
    }
}
