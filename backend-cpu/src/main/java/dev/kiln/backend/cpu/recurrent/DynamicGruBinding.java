package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantMatrix;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.onnx.RecurrentOps;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * Which {@code kiln:DynamicQuantizeGRU} nodes take {@link DynamicGruStep}: linear_before_reset 1 (PyTorch's GRU), any
 * direction, the default activations, no clip or sequence_lens, constant int8/uint8 W and R with constant scales and
 * zero points per tensor or per gate column, a constant B. Without linear_before_reset R_h multiplies {@code r ⊙ h},
 * a second quantization per step this kernel does not do: such a GRU stays with the reference kernel.
 */
final class DynamicGruBinding {
    private DynamicGruBinding() {}

    static Step bind(Node node, Graph graph, Slots slots, VectorSpecies<Integer> species) {
        if (!isF32(node.input(0)) || intAttr(node, "linear_before_reset", 0) != 1 || node.attribute("clip") != null) return null;
        int dirs;
        try {
            dirs = RecurrentOps.directions(stringAttr(node, "direction", "forward"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Attribute activations = node.attribute("activations");
        List<String> defaults = List.of("Sigmoid", "Tanh");
        if (activations != null && !activations.asStrings().equals(defaults)
                && !(dirs == 2 && activations.asStrings().equals(List.of("Sigmoid", "Tanh", "Sigmoid", "Tanh")))) return null;
        Tensor w = constant(graph, node, 1), r = constant(graph, node, 2);
        if (w == null || r == null || w.rank() != 3 || r.rank() != 3 || w.dim(0) != dirs || r.dim(0) != dirs) return null;
        if (!QuantWeights.isByte(w) || !QuantWeights.isByte(r)) return null;
        int hidden = (int) r.dim(1), input = (int) w.dim(1), n = 3 * hidden;
        if (RecurrentFamily.hiddenSize(node, hidden) != hidden || w.dim(2) != n || r.dim(2) != n || RecurrentFamily.present(node, 4)) return null;
        Tensor[] q = {constant(graph, node, 6), constant(graph, node, 7), constant(graph, node, 8), constant(graph, node, 9)};
        for (Tensor t : q) if (t == null || (t.size() != dirs && t.size() != (long) dirs * n)) return null;
        if (q[0].dtype() != DType.F32 || q[2].dtype() != DType.F32) return null;
        Tensor b = RecurrentFamily.present(node, 3) ? constant(graph, node, 3) : null;
        if (RecurrentFamily.present(node, 3) && (b == null || b.dtype() != DType.F32 || b.size() != 2L * dirs * n)) return null;
        if (RecurrentFamily.present(node, 5) && !isF32(node.input(5))) return null;
        String direction = stringAttr(node, "direction", "forward");
        DynamicGruStep.Direction[] directions = new DynamicGruStep.Direction[dirs];
        QuantGemm packer = new QuantGemm(species);
        for (int d = 0; d < dirs; d++) {
            GruBinding.Biases bias = GruBinding.Biases.of(b, d, hidden);
            QuantMatrix wMatrix = new QuantMatrix(QuantWeights.bytes(w), (long) d * input * n, input, n, n, false, w.dtype() == DType.U8,
                    QuantWeights.ints(q[1], d, n), false);
            directions[d] = new DynamicGruStep.Direction(packer.packRight(wMatrix), QuantWeights.floats(q[0], d, n), bias.input(),
                    QuantWeights.widened(r, d, hidden, n, QuantWeights.ints(q[3], d, n)), QuantWeights.floats(q[2], d, n), bias.recurrentH(),
                    direction.equals("reverse") || d == 1);
        }
        int[] outputs = new int[2];
        for (int i = 0; i < 2; i++) outputs[i] = i < node.outputs().size() ? slots.of(node.output(i)) : Slots.ABSENT;
        return new DynamicGruStep(node, slots.of(node.input(0)), RecurrentFamily.slot(node, slots, 5), outputs, input, hidden, directions, species);
    }

    private static Tensor constant(Graph graph, Node node, int input) {
        return RecurrentFamily.present(node, input) ? graph.constants().get(node.input(input).name()) : null;
    }
}
