package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Elementwise ops and {@code kiln:FusedElementwise}: one loop per output dim, each input read at its broadcast
 * offset (stride 0 along broadcast dims), the op's expression — or the fused body's statements — computed in
 * registers, one store. The innermost loop is unrolled.
 */
public final class ElementwiseRenderer {
    /** The largest body constant kept in the kernel as a table: beyond this it belongs in a buffer. */
    private static final int MAX_TABLE = 4096;

    private ElementwiseRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        Node node = layer.node();
        long[] y = layer.out();
        int rank = y.length;
        int unroll = options.unroll(node.name(), rank == 0 ? 1 : y[rank - 1]);
        List<String> vars = new ArrayList<>();
        List<long[]> strides = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            if (!layer.hasInput(i)) {
                vars.add(null);
                strides.add(null);
                continue;
            }
            long[] s = Index.broadcastStrides(alignedShape(layer, i), y);
            // An input with the output's shape is read once per element, in order: it can stream.
            if (java.util.Arrays.equals(s, Index.strides(y))) layer.inputInOrder(i, "in" + i);
            else layer.input(i, "in" + i);
            vars.add("v" + i);
            strides.add(s);
        }
        layer.outputInOrder("y");
        CWriter c = layer.begin();
        boolean fused = node.qualifiedOp().equals("kiln:FusedElementwise");
        Graph body = fused ? node.attribute("body").asGraph() : null;
        Map<String, String> tables = fused ? tables(c, body) : Map.of();
        String[] o = Index.vars("o", rank);
        for (int d = 0; d < rank; d++) c.loop(o[d], y[d], d == rank - 1 ? unroll : 1);
        for (int i = 0; i < vars.size(); i++) {
            if (vars.get(i) == null) continue;
            c.line("const float " + vars.get(i) + " = " + layer.read(i, "in" + i, Index.dot(o, strides.get(i))) + ";");
        }
        String result = fused ? body(c, body, vars, tables, o, y) : ScalarMath.expression(node, vars);
        c.line(layer.store("y", Index.dot(o, Index.strides(y)), result));
        c.close(rank);
        String what = fused ? "fused " + String.join(",", body.nodes().stream().map(Node::op).toList()) : node.op();
        return layer.finish(c, "single-work-item elementwise " + what + ", unroll " + unroll);
    }

    /**
     * Input {@code i}'s shape as it lines up with the output. Before opset 7 two ops did not broadcast NumPy-style:
     * a binary op with {@code broadcast = 1} and an {@code axis} lays B's dims from that axis on, and PRelu's 1-D
     * slope holds one value per channel (dim 1). Both become a shape padded with 1s that broadcasts the same way.
     */
    private static long[] alignedShape(Layer layer, int i) {
        long[] shape = layer.in(i);
        int rank = layer.out().length;
        int from = -1;
        if (layer.opset() < 7 && i == 1 && layer.intAttr("broadcast", 0) != 0 && layer.node().hasAttribute("axis")) {
            long axis = layer.intAttr("axis", 0);
            from = (int) (axis < 0 ? axis + rank : axis);
        } else if (layer.opset() < 7 && i == 1 && layer.node().op().equals("PRelu") && shape.length == 1 && shape[0] != 1 && rank >= 2) {
            from = 1;
        }
        if (from < 0) return shape;
        long[] aligned = new long[rank];
        java.util.Arrays.fill(aligned, 1);
        System.arraycopy(shape, 0, aligned, from, shape.length);
        return aligned;
    }

    /**
     * Declares the body's non-scalar constants (a standardization's mean and scale, say) as private arrays before
     * the loops — on an FPGA, small ROMs beside the pipeline. Returns the array name of each.
     */
    private static Map<String, String> tables(CWriter c, Graph body) {
        Map<String, String> tables = new HashMap<>();
        body.constants().forEach((name, t) -> {
            if (t.size() == 1) return;
            String table = "table" + tables.size();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) values.add(Index.literal((float) t.getDouble(i)));
            c.line("const float " + table + "[" + t.size() + "] = {" + String.join(", ", values) + "};");
            tables.put(name, table);
        });
        return tables;
    }

    /** Emits one {@code const float} per body node; returns the variable holding the body's output. */
    private static String body(CWriter c, Graph body, List<String> inputVars, Map<String, String> tables, String[] o, long[] y) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < body.inputs().size(); i++) names.put(body.inputs().get(i).name(), inputVars.get(i));
        body.constants().forEach((name, t) -> names.put(name, t.size() == 1 ? Index.literal((float) t.getDouble(0))
                : tables.get(name) + "[" + Index.dot(o, Index.broadcastStrides(t.shape(), y)) + "]"));
        int temp = 0;
        for (Node n : body.nodes()) {
            List<String> args = new ArrayList<>();
            for (Value v : n.inputs()) args.add(v.isAbsent() ? null : names.get(v.name()));
            String t = "t" + temp++;
            c.line("const float " + t + " = " + ScalarMath.expression(n, args) + "; /* " + n.op() + " */");
            names.put(n.output(0).name(), t);
        }
        return names.get(body.outputs().getFirst().name());
    }

    /** Why a fused body cannot be rendered (null when it can): float32 elementwise ops and small float32 constants. */
    public static String bodyProblem(Graph body) {
        for (Tensor t : body.constants().values()) {
            if (t.dtype() != dev.kiln.ir.DType.F32) return "fused body constant " + t.type() + " is not float32";
            if (t.size() > MAX_TABLE) return "fused body constant " + t.type() + " is over " + MAX_TABLE + " elements";
        }
        for (Node n : body.nodes()) {
            if (!n.domain().isEmpty() || !ScalarMath.handles(n.op())) return "fused body op " + n.qualifiedOp() + " has no OpenCL kernel";
            if (n.hasAttribute("broadcast")) return "fused body op " + n.op() + " uses pre-opset-7 broadcasting";
            for (Value v : n.outputs()) {
                if (!(v.type() instanceof dev.kiln.ir.TensorType t) || t.dtype() != dev.kiln.ir.DType.F32) {
                    return "fused body value " + v.name() + " is not float32";
                }
            }
        }
        return null;
    }
}
