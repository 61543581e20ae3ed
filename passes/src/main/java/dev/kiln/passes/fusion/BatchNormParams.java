package dev.kiln.passes.fusion;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

/**
 * An inference BatchNormalization as a per-channel affine map {@code y = x * scale[c] + shift[c]}, with
 * {@code scale = gamma / sqrt(var + epsilon)} and {@code shift = beta - mean * scale}, computed in double.
 */
public record BatchNormParams(double[] scale, double[] shift) {
    public int channels() { return scale.length; }

    /**
     * The affine map of a BatchNormalization node, or a one-line reason why it has none (training mode, a
     * non-constant parameter, parameters of different lengths). Reasons come back through {@link Result}.
     */
    public static Result of(Node bn, GraphRewrite g) {
        Attribute training = bn.attribute("training_mode");
        if (training != null && training.asInt() != 0) return Result.no("training_mode=1 (batch statistics)");
        Attribute spatial = bn.attribute("spatial");
        if (spatial != null && spatial.asInt() == 0) return Result.no("spatial=0 (per-element statistics)");
        for (int i = 1; i < bn.outputs().size(); i++) {
            if (!bn.output(i).isAbsent() && g.uses().useCount(bn.output(i).name()) > 0) {
                return Result.no("its running statistics output '" + bn.output(i).name() + "' is read");
            }
        }
        String[] roles = {"scale", "B", "mean", "var"};
        Tensor[] p = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            p[i] = g.constant(bn.input(i + 1));
            if (p[i] == null) return Result.no(roles[i] + " '" + bn.input(i + 1).name() + "' is not a constant");
            if (p[i].rank() > 1) return Result.no(roles[i] + " has rank " + p[i].rank() + ", expected 1");
        }
        int c = (int) p[0].size();
        for (int i = 1; i < 4; i++) if (p[i].size() != c) return Result.no("its parameters have different lengths");
        Attribute epsAttr = bn.attribute("epsilon");
        double eps = epsAttr == null ? 1e-5f : epsAttr.asFloat();
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int k = 0; k < c; k++) {
            scale[k] = p[0].getDouble(k) / Math.sqrt(p[3].getDouble(k) + eps);
            shift[k] = p[1].getDouble(k) - p[2].getDouble(k) * scale[k];
        }
        return new Result(new BatchNormParams(scale, shift), null);
    }

    /** The parameters, or why there are none. */
    public record Result(BatchNormParams params, String whyNot) {
        static Result no(String why) { return new Result(null, why); }
    }
}
