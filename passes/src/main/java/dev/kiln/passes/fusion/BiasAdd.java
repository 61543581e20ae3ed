package dev.kiln.passes.fusion;

import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

/**
 * An Add of a constant that only varies along one axis of the value it is added to (a bias), found as the sole
 * reader of that value; {@link #perChannel} holds the constant as one double per position of that axis.
 */
public record BiasAdd(Node add, double[] perChannel) {
    /**
     * The bias Add reading {@code v} along {@code axis} (of {@code channels} positions), or null. Sets a near-miss
     * reason in {@code why[0]} when an Add of a constant reads v but is no bias.
     */
    public static BiasAdd after(Value v, int axis, long channels, GraphRewrite g, String[] why) {
        Node add = g.soleReader(v);
        if (add == null || g.isReplaced(add) || !add.domain().isEmpty() || !add.op().equals("Add") || add.inputs().size() != 2) return null;
        Value other = add.input(0).name().equals(v.name()) ? add.input(1) : add.input(0);
        Tensor c = g.constant(other);
        if (c == null || other.name().equals(v.name())) return null;
        TensorType t = v.tensorType();
        if (!add.output(0).type().equals(t) || !t.shape().hasRank()) {
            why[0] = "Add '" + add.name() + "' of constant '" + other.name() + "' broadcasts the output to " + add.output(0).type();
            return null;
        }
        int rank = t.shape().rank();
        int at = c.rank() - (rank - axis);
        for (int i = 0; i < c.rank(); i++) {
            if (c.dim(i) != 1 && !(i == at && c.dim(i) == channels)) {
                why[0] = "Add '" + add.name() + "' constant '" + other.name() + "' " + c.type() + " is not one value per channel";
                return null;
            }
        }
        if (!c.dtype().isFloat()) return null;
        double[] values = new double[(int) channels];
        for (int k = 0; k < channels; k++) values[k] = c.getDouble(c.size() == 1 ? 0 : k);
        return new BiasAdd(add, values);
    }

    /** {@code factor * old[c] + perChannel[c]} as a 1-D tensor of the given type (old null or one value broadcast). */
    public Tensor plus(Tensor old, double factor, DType dtype) {
        double[] v = new double[perChannel.length];
        for (int k = 0; k < v.length; k++) {
            double b = old == null ? 0 : old.getDouble(old.size() == 1 ? 0 : k);
            v[k] = factor * b + perChannel[k];
        }
        return Tensor.ofDoubles(dtype, new long[] {v.length}, v);
    }
}
