package dev.kiln.passes.quant;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.fusion.GraphRewrite;

/**
 * A value read through a DequantizeLinear, or written into a QuantizeLinear: the integer value, its scale and zero
 * point values (the zero point may be absent) with the constant tensors behind them, the axis of a per-axis scale, and
 * the Q/DQ node itself.
 */
public record Dequantized(Node node, Value integer, Value scale, Value zeroPoint, Tensor scaleValue, Tensor zeroValue, int axis) {
    /** The DequantizeLinear producing {@code v}, with constant scale and zero point; null otherwise. */
    public static Dequantized producing(Value v, GraphRewrite g) {
        Node dq = g.producer(v);
        return dq != null && dq.domain().isEmpty() && dq.op().equals("DequantizeLinear") ? of(dq, dq.input(0), g) : null;
    }

    /** The QuantizeLinear that is the only reader of {@code v}, with constant scale and zero point; null otherwise. */
    public static Dequantized quantizing(Value v, GraphRewrite g) {
        Node q = g.soleReader(v);
        return q != null && q.domain().isEmpty() && q.op().equals("QuantizeLinear") ? of(q, q.output(0), g) : null;
    }

    private static Dequantized of(Node n, Value integer, GraphRewrite g) {
        if (n.hasAttribute("block_size") && n.attribute("block_size").asInt() != 0) return null;
        Tensor scale = g.constant(n.input(1));
        Tensor zero = n.input(2).isAbsent() ? null : g.constant(n.input(2));
        if (scale == null || (!n.input(2).isAbsent() && zero == null)) return null;
        Attribute axis = n.attribute("axis");
        return new Dequantized(n, integer, n.input(1), n.input(2), scale, zero, axis == null ? 1 : (int) axis.asInt());
    }

    public boolean perTensor() { return scaleValue.size() == 1 && (zeroValue == null || zeroValue.size() == 1); }

    public double scalarScale() { return (float) scaleValue.getDouble(0); }

    public long scalarZero() { return zeroValue == null ? 0 : zeroValue.getLong(0); }

    /** The parameters of a per-tensor Q/DQ, for comparisons and clamp checks. */
    public QuantParams params() {
        return new QuantParams(scalarScale(), (int) scalarZero(), integer.tensorType().dtype());
    }

    /** The zero point value, or a new scalar zero of the integer type when the node leaves it out. */
    public Value zeroPointOrZero(GraphRewrite g, String hint) {
        if (!zeroPoint.isAbsent()) return zeroPoint;
        return g.addConstant(hint, Tensor.scalar(integer.tensorType().dtype(), 0));
    }
}
