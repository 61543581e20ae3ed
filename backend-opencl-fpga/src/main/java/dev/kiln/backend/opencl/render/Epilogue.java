package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Attribute;

/**
 * What a fused Conv or Gemm does to its accumulator before the store, inside the same loop nest (on an FPGA:
 * the same pipeline, no extra pass over memory): the bias is the accumulator's start value, then the residual
 * (before or after the activation) and the activation from the fusion passes' attributes.
 */
final class Epilogue {
    private final String activation;
    private final float[] params;
    private final String approximate;
    private final String residual;

    private Epilogue(String activation, float[] params, String approximate, String residual) {
        this.activation = activation;
        this.params = params;
        this.approximate = approximate;
        this.residual = residual;
    }

    /** The epilogue of a {@code kiln:Fused*} node; nothing for a plain Conv or Gemm. */
    static Epilogue of(Layer layer) {
        Attribute p = layer.node().attribute("activation_params");
        return new Epilogue(layer.stringAttr("activation", ""), p == null ? new float[0] : p.asFloats(),
                layer.stringAttr("activation_approximate", "none"), layer.stringAttr("residual", "none"));
    }

    boolean hasResidual() { return !residual.equals("none"); }

    /** Statements turning {@code acc} into the stored value; {@code z} is the residual read at the output index. */
    void apply(CWriter c, String acc, String z) {
        if (residual.equals("before_activation")) c.line(acc + " += " + z + ";");
        if (!activation.isEmpty()) c.line(acc + " = " + ScalarMath.activation(activation, params, approximate, acc) + ";");
        if (residual.equals("after_activation")) c.line(acc + " += " + z + ";");
    }

    /** For kernel descriptions: {@code +Relu}, {@code +residual}. */
    String describe() {
        return (activation.isEmpty() ? "" : " +" + activation) + (hasResidual() ? " +residual" : "");
    }
}
