package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.linear.Epilogues;
import dev.kiln.backend.cpu.linear.Weights;
import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.floatAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/**
 * Products whose operands are computed at run time, bound after the constant-weight linear family: MatMul of two
 * tensors (rank ≥ 2 each), Gemm with a computed B, kiln:Attention, and 2-D ConvTranspose of group 1 with constant
 * weights (kiln:FusedConvTranspose too, with the activations the GEMM epilogue has). Each is float32; anything else stays with the generic kernel.
 */
public final class ProductsFamily implements CpuKernelFamily {
    /** Packs constant weights with the micro-kernel and blocking every runner's GEMM uses; packing needs no threads. */

    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        return switch (node.qualifiedOp()) {
            case "MatMul" -> matMul(node, graph, slots, context);
            case "Gemm" -> gemm(node, graph, slots, context);
            case "kiln:Attention" -> attention(node, graph, slots, context);
            case "ConvTranspose", "kiln:FusedConvTranspose" -> convTranspose(node, graph, slots);
            default -> null;
        };
    }

    private static Step matMul(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!isF32(node.input(0)) || !isF32(node.input(1)) || !isF32(node.output(0))) return null;
        if (rank(node.input(0)) < 2 || rank(node.input(1)) < 2) return null;
        return new BatchedMatMulStep(node, graph, slots.of(node.input(0)), slots.of(node.input(1)), -1, slots.of(node.output(0)), false, false, context.threads());
    }

    private static Step gemm(Node node, Graph graph, Slots slots, CpuContext context) {
        if (!isF32(node.input(0)) || !isF32(node.input(1)) || !isF32(node.output(0)) || floatAttr(node, "alpha", 1f) != 1f) return null;
        if (rank(node.input(0)) != 2 || rank(node.input(1)) != 2) return null;
        int bias = -1;
        if (!node.input(2).isAbsent()) {
            if (!isF32(node.input(2)) || floatAttr(node, "beta", 1f) != 1f) return null;
            bias = slots.of(node.input(2));
        }
        return new BatchedMatMulStep(node, graph, slots.of(node.input(0)), slots.of(node.input(1)), bias, slots.of(node.output(0)),
                intAttr(node, "transA", 0) != 0, intAttr(node, "transB", 0) != 0, context.threads());
    }

    private static Step attention(Node node, Graph graph, Slots slots, CpuContext context) {
        for (int i = 0; i < 3; i++) if (!isF32(node.input(i))) return null;
        if (!node.input(3).isAbsent() && !isF32(node.input(3)) || !isF32(node.output(0))) return null;
        return new AttentionStep(node, graph, slots.of(node.inputs()), slots.of(node.output(0)), floatAttr(node, "scale", 1f), context.species(), context.threads());
    }

    private static Step convTranspose(Node node, Graph graph, Slots slots) {
        if (!isF32(node.input(0)) || !isF32(node.output(0)) || rank(node.input(0)) != 4 || intAttr(node, "group", 1) != 1) return null;
        Tensor w = Weights.constant(graph, node.input(1));
        if (w == null || w.rank() != 4) return null;
        int c = (int) w.dim(0), m = (int) w.dim(1), kh = (int) w.dim(2), kw = (int) w.dim(3);
        MemorySegment bias = null;
        if (!node.input(2).isAbsent()) {
            Tensor b = Weights.constant(graph, node.input(2));
            if (b == null || b.size() != m) return null;
            bias = Weights.copy(b);
        }
        FusedEpilogue.Activation activation = Epilogues.activation(node);
        String residual = Epilogues.residual(node);
        if (activation == null || !residual.equals("none") && (node.input(3).isAbsent() || !isF32(node.input(3)))) return null;
        var packed = Weights.packed(w, false, c, m * kh * kw);
        return new ConvTransposeStep(node, slots.of(node.input(0)), slots.of(node.output(0)), packed, bias, c, m, kh, kw, activation,
                residual.equals("none") ? -1 : slots.of(node.input(3)), residual.equals("before_activation"));
    }

    private static int rank(Value v) {
        return v.type() instanceof TensorType t && t.shape().hasRank() ? t.shape().rank() : -1;
    }

}
