package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.floatAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/**
 * GEMM-backed ops with constant weights: Gemm and kiln:FusedGemm (alpha 1; a bias of one value per output column
 * at beta 1), MatMul by a 2-D constant, and Conv / kiln:FusedConv (2-D, NCHW). Anything else (weights computed at
 * run time, grouped convolution, an activation the GEMM epilogue lacks) stays with the generic kernel.
 */
public final class LinearFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        String op = node.qualifiedOp();
        return switch (op) {
            case "Gemm", "kiln:FusedGemm" -> gemm(node, graph, slots);
            case "MatMul" -> matMul(node, graph, slots);
            case "Conv", "kiln:FusedConv" -> ConvBinding.bind(node, graph, slots);
            default -> null;
        };
    }

    private static Step gemm(Node node, Graph graph, Slots slots) {
        if (node.inputs().size() < 2 || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        Tensor b = Weights.constant(graph, node.input(1));
        if (b == null || b.rank() != 2 || floatAttr(node, "alpha", 1f) != 1f) return null;
        boolean transA = intAttr(node, "transA", 0) != 0;
        boolean transB = intAttr(node, "transB", 0) != 0;
        int k = (int) (transB ? b.dim(1) : b.dim(0));
        int n = (int) (transB ? b.dim(0) : b.dim(1));
        MemorySegment bias = null;
        if (node.inputs().size() > 2 && !node.input(2).isAbsent()) {
            Tensor c = Weights.constant(graph, node.input(2));
            if (c == null || c.size() != n || c.rank() > 2 || (c.rank() == 2 && c.dim(0) != 1)) return null;
            if (floatAttr(node, "beta", 1f) != 1f) return null;
            bias = Weights.copy(c);
        }
        FusedEpilogue.Activation activation = Epilogues.activation(node);
        if (activation == null) return null;
        return new MatMulStep(node, slots.of(node.input(0)), slots.of(node.output(0)), transA, Weights.packed(b, transB, k, n), bias, activation);
    }

    private static Step matMul(Node node, Graph graph, Slots slots) {
        if (!isF32(node.input(0)) || !isF32(node.output(0))) return null;
        Tensor b = Weights.constant(graph, node.input(1));
        if (b == null || b.rank() != 2) return null;
        int k = (int) b.dim(0), n = (int) b.dim(1);
        return new MatMulStep(node, slots.of(node.input(0)), slots.of(node.output(0)), false, Weights.packed(b, false, k, n), null,
                FusedEpilogue.Activation.NONE);
    }
}
