package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantMatrix;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorSpecies;


import static dev.kiln.backend.cpu.plan.NodeAttributes.isF32;

/**
 * Which {@code com.microsoft:DynamicQuantizeLSTM} nodes take {@link DynamicLstmStep}: those the float LSTM kernel
 * would take (one forward direction, default activations, no clip, input_forget, peepholes or sequence_lens), with
 * constant int8/uint8 W and R and constant scales and zero points, per tensor or per gate column, and a constant B.
 * W is packed for the int8 GEMM here, R widened to int32 minus its zero points, Wb + Rb summed in float.
 */
final class DynamicLstmBinding {
    private DynamicLstmBinding() {}

    static Step bind(Node node, Graph graph, Slots slots, VectorSpecies<Integer> species) {
        if (!isF32(node.input(0)) || !RecurrentFamily.plainForwardLstm(node)) return null;
        Tensor w = constant(graph, node, 1), r = constant(graph, node, 2);
        if (w == null || r == null || w.rank() != 3 || r.rank() != 3 || w.dim(0) != 1 || r.dim(0) != 1) return null;
        if (!QuantWeights.isByte(w) || !QuantWeights.isByte(r)) return null;
        int hidden = (int) r.dim(1), input = (int) w.dim(1), n = 4 * hidden;
        if (RecurrentFamily.hiddenSize(node, hidden) != hidden || w.dim(2) != n || r.dim(2) != n) return null;
        if (RecurrentFamily.present(node, 4) || RecurrentFamily.present(node, 7)) return null;
        Tensor wScale = constant(graph, node, 8), wZero = constant(graph, node, 9);
        Tensor rScale = constant(graph, node, 10), rZero = constant(graph, node, 11);
        if (!isF32Scale(wScale, n) || !perColumnOrTensor(wZero, n) || !isF32Scale(rScale, n) || !perColumnOrTensor(rZero, n)) return null;
        float[] bias = null;
        if (RecurrentFamily.present(node, 3)) {
            Tensor b = constant(graph, node, 3);
            if (b == null || b.dtype() != DType.F32 || b.size() != 2L * n) return null;
            bias = new float[n];
            for (int j = 0; j < n; j++) bias[j] = (float) ((float) b.getDouble(j) + (float) b.getDouble(n + j));
        }
        for (int i = 5; i <= 6; i++) if (RecurrentFamily.present(node, i) && !isF32(node.input(i))) return null;
        QuantMatrix wMatrix = new QuantMatrix(QuantWeights.bytes(w), 0, input, n, n, false, w.dtype() == DType.U8, QuantWeights.ints(wZero, 0, n), false);
        int[] rWide = QuantWeights.widened(r, 0, hidden, n, QuantWeights.ints(rZero, 0, n));
        int[] outputs = new int[3];
        for (int i = 0; i < 3; i++) outputs[i] = i < node.outputs().size() ? slots.of(node.output(i)) : Slots.ABSENT;
        return new DynamicLstmStep(node, slots.of(node.input(0)), RecurrentFamily.slot(node, slots, 5), RecurrentFamily.slot(node, slots, 6),
                outputs, input, hidden, new QuantGemm(species).packRight(wMatrix), QuantWeights.floats(wScale, 0, n), bias, rWide, QuantWeights.floats(rScale, 0, n), species);
    }

    private static Tensor constant(Graph graph, Node node, int input) {
        return RecurrentFamily.present(node, input) ? graph.constants().get(node.input(input).name()) : null;
    }

    private static boolean perColumnOrTensor(Tensor t, int n) { return t != null && (t.size() == 1 || t.size() == n); }

    private static boolean isF32Scale(Tensor t, int n) { return perColumnOrTensor(t, n) && t.dtype() == DType.F32; }
}
