package dev.kiln.backend.opencl.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs ONNX Runtime's quantized contrib ops ({@code com.microsoft:QLinearAdd}, {@code QLinearMul},
 * {@code QLinearConcat}, {@code QLinearAveragePool}, {@code QLinearGlobalAveragePool}) as what they are defined to
 * compute: each 8-bit input through a per-tensor DequantizeLinear, the float op, one QuantizeLinear into the
 * node's output. Those are ops the backend has kernels for, so the results are the reference kernels' bit for bit,
 * as long as the float op's kernel is. Expanded nodes are named {@code <node>#qdq:<role>}, which is how the
 * kernel listing tells which contrib op a kernel belongs to.
 */
public final class ContribQuantExpansion {
    private static final String DOMAIN = "com.microsoft";
    private static final String MARK = "#qdq:";
    private static final Map<String, String> FLOAT_OPS = Map.of("QLinearAdd", "Add", "QLinearMul", "Mul",
            "QLinearConcat", "Concat", "QLinearAveragePool", "AveragePool", "QLinearGlobalAveragePool", "GlobalAveragePool");

    private ContribQuantExpansion() {}

    /** One node's replacement, and the zero-point constants it adds (a QuantizeLinear with none would give uint8). */
    record Expansion(List<Node> nodes, Map<String, Tensor> constants) {}

    /** Whether {@code node} is one of the contrib ops this class expands. */
    static boolean expands(Node node) {
        return node.domain().equals(DOMAIN) && FLOAT_OPS.containsKey(node.op());
    }

    /** Null when every node of {@code node}'s expansion runs on the backend; otherwise why not, naming the part. */
    static String problem(Node node, Graph graph) {
        if (node.attribute("channels_last") != null && node.attribute("channels_last").asInt() != 0) {
            return "channels_last = 1 (NHWC) has no OpenCL kernel; only NCHW runs (as DequantizeLinear → "
                    + FLOAT_OPS.get(node.op()) + " → QuantizeLinear)";
        }
        for (Node part : of(node).nodes()) {
            String p = OpSupport.problem(part, graph);
            if (p != null) return "its Q/DQ expansion cannot run: " + part.qualifiedOp() + " " + p;
        }
        return null;
    }

    /** {@code graph} with every contrib op this class knows replaced by its expansion; the same graph when none. */
    public static Graph expand(Graph graph) {
        if (graph.nodes().stream().noneMatch(ContribQuantExpansion::expands)) return graph;
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        for (Node node : graph.nodes()) {
            if (!expands(node)) {
                nodes.add(node);
                continue;
            }
            Expansion e = of(node);
            nodes.addAll(e.nodes());
            constants.putAll(e.constants());
        }
        return graph.withNodes(nodes).withConstants(constants);
    }

    /** The contrib op {@code node} was expanded from ({@code com.microsoft:QLinearAdd}), or null when it was not. */
    public static String origin(Node node) {
        int at = node.name().lastIndexOf(MARK);
        int end = at < 0 ? -1 : node.name().indexOf('/', at);
        return end < 0 ? null : DOMAIN + ":" + node.name().substring(at + MARK.length(), end);
    }

    /** DQ per data input → float op (the node's attributes less channels_last) → Q into the node's own output. */
    static Expansion of(Node node) {
        String floatOp = FLOAT_OPS.get(node.op());
        // (data, scale, zero point) per input, then the output's (scale, zero point)
        List<int[]> data = new ArrayList<>();
        int[] out;
        switch (node.op()) {
            case "QLinearAdd", "QLinearMul" -> {
                data.add(new int[] {0, 1, 2});
                data.add(new int[] {3, 4, 5});
                out = new int[] {6, 7};
            }
            case "QLinearConcat" -> {
                for (int i = 2; i + 2 < node.inputs().size(); i += 3) data.add(new int[] {i, i + 1, i + 2});
                out = new int[] {0, 1};
            }
            default -> {
                data.add(new int[] {0, 1, 2});
                out = new int[] {3, 4};
            }
        }
        String prefix = node.name() + MARK + node.op() + "/";
        Value y = node.output(0);
        List<Node> nodes = new ArrayList<>();
        List<Value> floats = new ArrayList<>();
        for (int k = 0; k < data.size(); k++) {
            int[] d = data.get(k);
            Value x = node.input(d[0]);
            Value f = new Value(y.name() + "_qdq_x" + k, floatType(x));
            nodes.add(new Node(prefix + "dq" + k, "", "DequantizeLinear", present(x, node.input(d[1]), node.input(d[2])), List.of(f), Map.of()));
            floats.add(f);
        }
        Map<String, Attribute> attrs = new LinkedHashMap<>(node.attributes());
        attrs.remove("channels_last");
        Value result = new Value(y.name() + "_qdq_y", floatType(y));
        nodes.add(new Node(prefix + floatOp, "", floatOp, floats, List.of(result), attrs));
        Value zeroPoint = node.input(out[1]);
        Map<String, Tensor> constants = Map.of();
        if (zeroPoint.isAbsent()) {
            Tensor zero = Tensor.scalar(node.input(data.getFirst()[0]).tensorType().dtype(), 0);
            zeroPoint = new Value(y.name() + "_qdq_zero_point", zero.type());
            constants = Map.of(zeroPoint.name(), zero);
        }
        nodes.add(new Node(prefix + "q", "", "QuantizeLinear", List.of(result, node.input(out[0]), zeroPoint), List.of(y), Map.of()));
        return new Expansion(nodes, constants);
    }

    /** The operands without a trailing absent zero point, as an ONNX node would list them. */
    private static List<Value> present(Value x, Value scale, Value zeroPoint) {
        return zeroPoint.isAbsent() ? List.of(x, scale) : List.of(x, scale, zeroPoint);
    }

    /** The float32 type of a value with {@code v}'s shape (unknown rank when {@code v} is not typed as a tensor yet). */
    private static TensorType floatType(Value v) {
        return new TensorType(DType.F32, v.type() instanceof TensorType t ? t.shape() : Shape.UNKNOWN_RANK);
    }
}
