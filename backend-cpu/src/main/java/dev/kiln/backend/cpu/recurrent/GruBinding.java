package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.onnx.RecurrentOps;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;
import static dev.kiln.backend.cpu.plan.NodeAttributes.stringAttr;

/**
 * Which float32 GRU nodes take {@link GruStep}: linear_before_reset 1 (PyTorch's GRU, the form {@link GruCell}
 * computes), any direction, layout 0, the default activations, no clip or sequence_lens, constant W, R and B. The
 * rest stays with the reference kernel.
 */
final class GruBinding {
    private GruBinding() {}

    static Step bind(Node node, Graph graph, Slots slots) {
        if (!isF32(node.input(0)) || intAttr(node, "linear_before_reset", 0) != 1 || node.attribute("clip") != null || intAttr(node, "layout", 0) != 0) return null;
        int dirs;
        try {
            dirs = RecurrentOps.directions(stringAttr(node, "direction", "forward"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Attribute activations = node.attribute("activations");
        if (activations != null && !activations.asStrings().equals(List.of("Sigmoid", "Tanh"))
                && !(dirs == 2 && activations.asStrings().equals(List.of("Sigmoid", "Tanh", "Sigmoid", "Tanh")))) return null;
        Tensor w = constant(graph, node, 1), r = constant(graph, node, 2);
        if (w == null || r == null || w.dtype() != DType.F32 || r.dtype() != DType.F32 || w.rank() != 3 || r.rank() != 3) return null;
        int hidden = (int) r.dim(2), input = (int) w.dim(2), n = 3 * hidden;
        if (w.dim(0) != dirs || r.dim(0) != dirs || w.dim(1) != n || r.dim(1) != n) return null;
        if (RecurrentFamily.hiddenSize(node, hidden) != hidden || RecurrentFamily.present(node, 4)) return null;
        Tensor b = RecurrentFamily.present(node, 3) ? constant(graph, node, 3) : null;
        if (RecurrentFamily.present(node, 3) && (b == null || b.dtype() != DType.F32 || b.size() != 2L * dirs * n)) return null;
        if (RecurrentFamily.present(node, 5) && !isF32(node.input(5))) return null;
        String direction = stringAttr(node, "direction", "forward");
        GruStep.Direction[] directions = new GruStep.Direction[dirs];
        for (int d = 0; d < dirs; d++) {
            Biases bias = Biases.of(b, d, hidden);
            directions[d] = new GruStep.Direction(floats(w, d, n * input), floats(r, d, n * hidden), bias.input(), bias.recurrentH(),
                    direction.equals("reverse") || d == 1);
        }
        int[] outputs = new int[2];
        for (int i = 0; i < 2; i++) outputs[i] = i < node.outputs().size() ? slots.of(node.output(i)) : Slots.ABSENT;
        return new GruStep(node, slots.of(node.input(0)), RecurrentFamily.slot(node, slots, 5), outputs, input, hidden, directions);
    }

    /**
     * Direction {@code d}'s biases as {@link GruCell} takes them: {@code input} Wb + Rb for z and r and Wb for h (added
     * to the input projection), {@code recurrentH} Rb for h (added inside the reset gate's product); zeros without B.
     */
    record Biases(float[] input, float[] recurrentH) {
        static Biases of(Tensor b, int d, int hidden) {
            int n = 3 * hidden;
            float[] input = new float[n], recurrentH = new float[hidden];
            for (int j = 0; b != null && j < n; j++) {
                float wb = (float) b.getDouble(d * 2 * n + j), rb = (float) b.getDouble(d * 2 * n + n + j);
                input[j] = j < 2 * hidden ? wb + rb : wb;
                if (j >= 2 * hidden) recurrentH[j - 2 * hidden] = rb;
            }
            return new Biases(input, recurrentH);
        }
    }

    /** Direction {@code d}'s {@code size} floats. */
    private static float[] floats(Tensor t, int d, int size) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = (float) t.getDouble(d * size + i);
        return out;
    }

    private static Tensor constant(Graph graph, Node node, int input) {
        return RecurrentFamily.present(node, input) ? graph.constants().get(node.input(input).name()) : null;
    }
}
