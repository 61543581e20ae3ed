package dev.kiln.passes.quant;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.KilnOps;
import dev.kiln.ir.ops.onnx.DynamicRecurrentOps;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LSTM and GRU part of {@code quantize-dynamic}: a layer with constant float W and R becomes
 * {@code com.microsoft:DynamicQuantizeLSTM} or {@code kiln:DynamicQuantizeGRU}, its weights int8 symmetric per gate
 * row (per output channel) and per direction, stored transposed ({@code [dirs, k, gates·hidden]}) as those ops take
 * them; biases, states and peepholes stay float and are passed through.
 */
public final class DynamicRecurrent {
    /** The opsets of the domains the rewritten layers use (imported only where a node uses them), in a fixed order. */
    public static final Map<String, Integer> OPSETS = Collections.unmodifiableSortedMap(
            new TreeMap<>(Map.of(DynamicRecurrentOps.MICROSOFT, 1, KilnOps.DOMAIN, KilnOps.OPSET)));

    private DynamicRecurrent() {}

    /** Whether {@code n} is a layer this rewrite considers. */
    public static boolean applies(Node n) {
        return n.domain().isEmpty() && (n.op().equals("LSTM") || n.op().equals("GRU") || n.op().equals("RNN"));
    }

    /** The explain line of a converted node. */
    public static String explanation(Node n) {
        return "quantized dynamically: " + quantizedOp(n) + ", W and R int8 per gate row, X and h quantized to uint8 per run";
    }

    private static String quantizedOp(Node n) {
        return n.op().equals("LSTM") ? DynamicRecurrentOps.MICROSOFT + ":" + DynamicRecurrentOps.LSTM : KilnOps.DOMAIN + ":" + DynamicRecurrentOps.GRU;
    }

    /** Replaces {@code n} in {@code g}; returns null, or why it stays float. */
    public static String rewrite(Node n, GraphRewrite g) {
        if (n.op().equals("RNN")) return "RNN has no int8-dynamic form";
        if (n.hasAttribute("layout") && n.attribute("layout").asInt() != 0) return "layout 1 (batch first) has no int8-dynamic form";
        Value x = n.input(0);
        if (g.constant(x) != null || x.tensorType() == null || x.tensorType().dtype() != DType.F32) return "X is not a float activation";
        Tensor w = g.constant(n.input(1)), r = g.constant(n.input(2));
        if (w == null || r == null || w.dtype() != DType.F32 || r.dtype() != DType.F32 || w.rank() != 3 || r.rank() != 3) {
            return "W and R are not 3-D float constants";
        }
        boolean lstm = n.op().equals("LSTM");
        int optionalInputs = lstm ? 8 : 6;
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < optionalInputs; i++) inputs.add(i < n.inputs().size() ? n.input(i) : Value.ABSENT);
        inputs.set(1, quantized(g, w, n.name() + "_W"));
        inputs.set(2, quantized(g, r, n.name() + "_R"));
        inputs.add(g.addConstant(n.name() + "_W_scale", scales(w)));
        inputs.add(g.addConstant(n.name() + "_W_zero_point", Tensor.zeros(DType.I8, w.dim(0), w.dim(1))));
        inputs.add(g.addConstant(n.name() + "_R_scale", scales(r)));
        inputs.add(g.addConstant(n.name() + "_R_zero_point", Tensor.zeros(DType.I8, r.dim(0), r.dim(1))));
        Map<String, Attribute> attributes = new LinkedHashMap<>(n.attributes());
        attributes.remove("layout");
        String domain = lstm ? DynamicRecurrentOps.MICROSOFT : KilnOps.DOMAIN;
        String op = lstm ? DynamicRecurrentOps.LSTM : DynamicRecurrentOps.GRU;
        g.replace(n, List.of(new Node(n.name(), domain, op, inputs, n.outputs(), attributes)));
        return null;
    }

    /** Per (direction, row) of {@code [dirs, rows, k]}: max|w| / 127, or 1 for an all-zero row; as {@code [dirs, rows]}. */
    static Tensor scales(Tensor w) {
        int dirs = (int) w.dim(0), rows = (int) w.dim(1), k = (int) w.dim(2);
        float[] s = new float[dirs * rows];
        for (int dr = 0; dr < dirs * rows; dr++) {
            double max = 0;
            for (int i = 0; i < k; i++) max = Math.max(max, Math.abs(w.getDouble(dr * k + i)));
            s[dr] = max == 0 ? 1f : (float) (max / 127);
        }
        return Tensor.ofFloats(new long[] {dirs, rows}, s);
    }

    /** {@code [dirs, rows, k]} as int8 {@code [dirs, k, rows]}: each row rounded (half to even) by its scale. */
    private static Value quantized(GraphRewrite g, Tensor w, String name) {
        int dirs = (int) w.dim(0), rows = (int) w.dim(1), k = (int) w.dim(2);
        Tensor s = scales(w);
        Tensor q = Tensor.zeros(DType.I8, dirs, k, rows);
        for (int d = 0; d < dirs; d++) {
            for (int j = 0; j < rows; j++) {
                double scale = s.getDouble(d * rows + j);
                for (int i = 0; i < k; i++) {
                    double v = Math.rint(w.getDouble((d * rows + j) * k + i) / scale);
                    q.setLong((d * k + i) * rows + j, (long) Math.max(-127, Math.min(127, v)));
                }
            }
        }
        return g.addConstant(name + "_quantized", q);
    }
}
