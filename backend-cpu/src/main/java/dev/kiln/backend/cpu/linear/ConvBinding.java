package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/** Which Conv / kiln:FusedConv nodes the GEMM path takes: 2-D, NCHW float32, constant weights, one group, explicit pads. */
final class ConvBinding {
    private ConvBinding() {}

    static Step bind(Node node, Graph graph, Slots slots) {
        if (node.inputs().size() < 2 || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        if (!(node.input(0).type() instanceof TensorType x) || !x.shape().hasRank() || x.shape().rank() != 4) return null;
        Tensor w = Weights.constant(graph, node.input(1));
        if (w == null || w.rank() != 4 || intAttr(node, "group", 1) != 1) return null;
        Attribute autoPad = node.attributes().get("auto_pad");
        if (autoPad != null && !autoPad.asString().equals("NOTSET") && !autoPad.asString().equals("VALID")) return null;
        long[] pads = ints(node, "pads", new long[] {0, 0, 0, 0});
        long[] strides = ints(node, "strides", new long[] {1, 1});
        long[] dilations = ints(node, "dilations", new long[] {1, 1});
        if (pads.length != 4 || strides.length != 2 || dilations.length != 2) return null;
        int outC = (int) w.dim(0), inC = (int) w.dim(1);
        ConvGeometry g = new ConvGeometry(inC, 0, 0, outC, (int) w.dim(2), (int) w.dim(3), (int) strides[0], (int) strides[1],
                (int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3], (int) dilations[0], (int) dilations[1]);
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
