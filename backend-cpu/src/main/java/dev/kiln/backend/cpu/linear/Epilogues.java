package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.ir.Node;

import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/** Reading a fused node's epilogue attributes (see {@code dev.kiln.ir.ops.kiln.FusedOps}) into the GEMM's epilogue. */
public final class Epilogues {
    private Epilogues() {}

    /** The node's activation as the GEMM applies it, or null when the GEMM epilogue has no such activation. */
    public static FusedEpilogue.Activation activation(Node node) {
        float[] params = node.attributes().containsKey("activation_params") ? node.attributes().get("activation_params").asFloats() : new float[0];
        return FusedEpilogue.Activation.named(stringAttr(node, "activation", ""), params, stringAttr(node, "activation_approximate", "none"));
    }

    /** {@code before_activation}, {@code after_activation} or {@code none}. */
    public static String residual(Node node) { return stringAttr(node, "residual", "none"); }
}
