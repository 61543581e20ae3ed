package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/** Which Conv / kiln:FusedConv nodes the GEMM path takes: 2-D, NCHW float32, constant weights, one group, explicit pads. */
final class ConvBinding {
    private ConvBinding() {}

    static Step bind(Node node, Graph graph, Slots slots) {
        if (node.inputs().size() < 2 || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        if (!(node.input(0).type() instanceof TensorType x) || !x.shape().hasRank() || x.shape().rank() != 4) return null;
        Tensor w = Weights.constant(graph, node.input(1));
        if (w == null || w.rank() != 4 || intAttr(node, "group", 1) != 1) return null;
        ConvGeometry g = ConvGeometry.of(node, w.shape(), 1);
        if (g == null) return null;
        int outC = g.outC();
        MemorySegment bias = null;
        if (node.inputs().size() > 2 && !node.input(2).isAbsent()) {
            Tensor b = Weights.constant(graph, node.input(2));
            if (b == null || b.size() != outC) return null;
            bias = Weights.copy(b);
        }
        FusedEpilogue.Activation activation = Epilogues.activation(node);
        if (activation == null) return null;
        String residual = Epilogues.residual(node);
        int z = Slots.ABSENT;
        if (!residual.equals("none")) {
            if (node.inputs().size() < 4 || !isF32(node.input(3))) return null;
            z = slots.of(node.input(3));
        }
        return new ConvStep(node, slots.of(node.input(0)), z, residual.equals("before_activation"), slots.of(node.output(0)), g,
                Weights.packedA(w, outC, g.depth()), bias, activation);
    }
}
