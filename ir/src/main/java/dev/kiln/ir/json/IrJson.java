package dev.kiln.ir.json;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrPrinter;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON view of a graph for tools: name, opsets, typed inputs and outputs, constants (type and content hash,
 * plus values when small) and nodes with their attributes; subgraphs nest as graph objects. Types are written
 * in their IR text form ({@code "f32[batch,3,224,224]"}). A view, not a storage format: large tensors appear
 * only by hash.
 */
public final class IrJson {
    private IrJson() {}

    public static String toJson(Graph graph) { return JsonText.write(graph(graph)); }

    private static Map<String, Object> graph(Graph g) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", g.name());
        json.put("opsets", new LinkedHashMap<>(g.opsets()));
        json.put("inputs", g.inputs().stream().map(IrJson::typedValue).toList());
        json.put("outputs", g.outputs().stream().map(IrJson::typedValue).toList());
        List<Object> constants = new ArrayList<>();
        g.constants().forEach((name, t) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.putAll(tensor(t));
            constants.add(c);
        });
        json.put("constants", constants);
        json.put("nodes", g.nodes().stream().map(IrJson::node).toList());
        return json;
    }

    private static Object typedValue(Value v) {
        if (v.isAbsent()) return null;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", v.name());
        json.put("type", IrPrinter.formatType(v.type()));
        return json;
    }

    private static Map<String, Object> node(Node n) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", n.name());
        json.put("op", n.op());
        json.put("domain", n.domain());
        json.put("inputs", n.inputs().stream().map(v -> v.isAbsent() ? null : v.name()).toList());
        json.put("outputs", n.outputs().stream().map(IrJson::typedValue).toList());
        Map<String, Object> attributes = new LinkedHashMap<>();
        n.attributes().forEach((name, a) -> attributes.put(name, attribute(a)));
        json.put("attributes", attributes);
        return json;
    }

    private static Object attribute(Attribute a) {
        return switch (a.kind()) {
            case INT -> a.asInt();
            case FLOAT -> a.asFloat();
            case STRING -> a.asString();
            case TENSOR -> tensor(a.asTensor());
            case GRAPH -> graph(a.asGraph());
            case TYPE -> IrPrinter.formatType(a.asType());
            case INTS -> java.util.Arrays.stream(a.asInts()).boxed().toList();
            case FLOATS -> {
                List<Object> fs = new ArrayList<>();
                for (float f : a.asFloats()) fs.add(f);
                yield fs;
            }
            case STRINGS -> a.asStrings();
            case TENSORS -> a.asTensors().stream().map(IrJson::tensor).toList();
            case GRAPHS -> a.asGraphs().stream().map(IrJson::graph).toList();
            case TYPES -> a.asTypes().stream().map(IrPrinter::formatType).toList();
        };
    }

    /** {@code {"type", "hash"}}, plus {@code "values"} (row-major) when the IR text would print them inline. */
    private static Map<String, Object> tensor(Tensor t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", IrPrinter.formatType(t.type()));
        json.put("hash", t.contentHash());
        if (t.size() <= IrPrinter.INLINE_LIMIT) {
            List<Object> values = new ArrayList<>(t.size());
            for (int i = 0; i < t.size(); i++) values.add(element(t, i));
            json.put("values", values);
        }
        return json;
    }

    private static Object element(Tensor t, int i) {
        DType d = t.dtype();
        if (d == DType.STRING) return t.getString(i);
        if (d == DType.BOOL) return t.getLong(i) != 0;
        if (d == DType.C64) return List.of((float) t.getComplex(i)[0], (float) t.getComplex(i)[1]);
        if (d == DType.C128) return List.of(t.getComplex(i)[0], t.getComplex(i)[1]);
        if (d == DType.F32) return (float) t.getDouble(i);
        if (d.isFloat()) return t.getDouble(i);
        if (d == DType.U64) return new BigInteger(Long.toUnsignedString(t.getLong(i)));
        return t.getLong(i);
    }
}
