package dev.kiln.backend.cpu.depthwise;

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
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * Conv and kiln:FusedConv with {@code group > 1} (2-D, NCHW float32, constant weights, explicit or VALID padding):
 * depthwise ones (one input channel per group, any channel multiplier) run {@link DepthwiseStep}, the others
 * {@link GroupedConvStep}. The epilogue (bias, any activation {@link FusedEpilogue.Activation#named} knows,
 * residual) is fused into either. Group 1 is the GEMM convolution's ({@code linear}).
 */
public final class GroupedConvFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        String op = node.qualifiedOp();
        if (!op.equals("Conv") && !op.equals("kiln:FusedConv")) return null;
        int groups = (int) intAttr(node, "group", 1);
        if (groups < 2 || node.inputs().size() < 2 || !isF32(node.input(0)) || !isF32(node.output(0))) return null;
        if (!(node.input(0).type() instanceof TensorType x) || !x.shape().hasRank() || x.shape().rank() != 4) return null;
        Tensor w = Weights.constant(graph, node.input(1));
        if (w == null || w.rank() != 4 || w.dim(0) % groups != 0) return null;
        String autoPad = stringAttr(node, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) return null;
        long[] pads = ints(node, "pads", new long[] {0, 0, 0, 0});
        long[] strides = ints(node, "strides", new long[] {1, 1});
        long[] dilations = ints(node, "dilations", new long[] {1, 1});
        if (pads.length != 4 || strides.length != 2 || dilations.length != 2) return null;
        GroupedGeometry g = new GroupedGeometry(groups, (int) w.dim(1), (int) (w.dim(0) / groups), 0, 0, (int) w.dim(2), (int) w.dim(3),
                (int) strides[0], (int) strides[1], (int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3],
                (int) dilations[0], (int) dilations[1]);
        MemorySegment bias = null;
        if (node.inputs().size() > 2 && !node.input(2).isAbsent()) {
            Tensor b = Weights.constant(graph, node.input(2));
            if (b == null || b.size() != g.outC()) return null;
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
        boolean first = residual.equals("before_activation");
        int in = slots.of(node.input(0)), out = slots.of(node.output(0));
        return g.inPerGroup() == 1
                ? new DepthwiseStep(node, in, z, first, out, g, Weights.copy(w), bias, activation)
                : new GroupedConvStep(node, in, z, first, out, g, Weights.copy(w), bias, activation);
    }
}
