package dev.kiln.passes.quant;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.GraphRewrite;

import java.util.List;
import java.util.Map;

/**
 * Builds the QuantizeLinear/DequantizeLinear nodes and the integer constants of the Q/DQ form: activations per
 * tensor with a scale and zero point, weights per output channel symmetric int8, biases int32 with scale
 * x_scale·w_scale so that they add straight onto the int32 accumulator.
 */
public final class QdqNodes {
    private final GraphRewrite g;

    public QdqNodes(GraphRewrite g) { this.g = g; }

    /** {@code QuantizeLinear(x) → q} and {@code DequantizeLinear(q) → out}: the value the int8 model sees in place of x. */
    public List<Node> fakeQuantize(Value x, Value out, QuantParams p, String base) {
        Value scale = g.addConstant(base + "_scale", Tensor.scalar(DType.F32, p.scale()));
        Value zero = g.addConstant(base + "_zero_point", Tensor.scalar(p.type(), p.zeroPoint()));
        Value q = new Value(g.freshName(base + "_quantized"), new TensorType(p.type(), x.tensorType().shape()));
        Node quantize = new Node(g.freshName(base + "_quantize"), "", "QuantizeLinear", List.of(x, scale, zero), List.of(q), Map.of());
        Node dequantize = new Node(g.freshName(base + "_dequantize"), "", "DequantizeLinear", List.of(q, scale, zero), List.of(out), Map.of());
        return List.of(quantize, dequantize);
    }

    /** Per-channel symmetric int8 scales of {@code w} along {@code axis} (max|w| / 127; an all-zero channel gets 1). */
    public static float[] weightScales(Tensor w, int axis) {
        int channels = (int) w.dim(axis);
        int inner = 1;
        for (int a = axis + 1; a < w.rank(); a++) inner *= (int) w.dim(a);
        double[] absMax = new double[channels];
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            absMax[c] = Math.max(absMax[c], Math.abs(w.getDouble(i)));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) scales[c] = absMax[c] == 0 ? 1f : (float) (absMax[c] / 127);
        return scales;
    }

    /** {@code w} quantized with one scale per index along {@code axis}, as {@code type} (int8 or int32). */
    public static Tensor quantizeAlong(Tensor w, int axis, float[] scales, DType type) {
        int channels = (int) w.dim(axis);
        int inner = 1;
        for (int a = axis + 1; a < w.rank(); a++) inner *= (int) w.dim(a);
        Tensor q = Tensor.zeros(type, w.shape());
        long lo = type == DType.I8 ? -127 : Integer.MIN_VALUE;
        long hi = type == DType.I8 ? 127 : Integer.MAX_VALUE;
        for (int i = 0; i < w.size(); i++) {
            double v = Math.rint(w.getDouble(i) / scales[(i / inner) % channels]);
            q.setLong(i, (long) Math.max(lo, Math.min(hi, v)));
        }
        return q;
    }

    /** The per-channel int8 weight and its DequantizeLinear (zero point 0, left out); returns the DQ node. */
    public Node weight(Tensor value, int axis, String base) {
        float[] scales = weightScales(value, axis);
        return dequantizeConstant(quantizeAlong(value, axis, scales, DType.I8), scales, axis, base);
    }

    /** The int32 bias with scale x_scale·w_scale[c] and its DequantizeLinear; returns the DQ node. */
    public Node bias(Tensor value, double xScale, float[] weightScales, String base) {
        float[] scales = new float[weightScales.length];
        for (int c = 0; c < scales.length; c++) scales[c] = (float) ((float) xScale * weightScales[c]);
        return dequantizeConstant(quantizeAlong(value, 0, scales, DType.I32), scales, 0, base);
    }

    private Node dequantizeConstant(Tensor q, float[] scales, int axis, String base) {
        Value qValue = g.addConstant(base + "_quantized", q);
        Value scale = g.addConstant(base + "_scale", Tensor.ofFloats(new long[] {scales.length}, scales));
        Value out = new Value(g.freshName(base + "_dequantized"), new TensorType(DType.F32, Shape.of(q.shape())));
        return new Node(g.freshName(base + "_dequantize"), "", "DequantizeLinear", List.of(qValue, scale), List.of(out),
                Map.of("axis", Attribute.of((long) axis)));
    }
}
