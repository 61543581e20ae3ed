package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.qgemm.ChannelValues;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantMatrix;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.backend.cpu.quant.QuantConstants.constant;
import static dev.kiln.backend.cpu.quant.QuantConstants.dtype;
import static dev.kiln.backend.cpu.quant.QuantConstants.floats;
import static dev.kiln.backend.cpu.quant.QuantConstants.ints;
import static dev.kiln.backend.cpu.quant.QuantConstants.isByte;
import static dev.kiln.backend.cpu.quant.QuantConstants.present;

/**
 * Which QLinearMatMul / MatMulInteger nodes the int8 GEMM takes: A int8/uint8 of rank ≥ 2 with one constant zero
 * point; B a constant 2-D int8/uint8 with zero points per tensor or per column; for QLinearMatMul constant float32
 * scales (A's per tensor, B's per tensor or per column) and a constant output scale and zero point.
 */
final class QMatMulBinding {
    private QMatMulBinding() {}

    static Step bind(Node node, Graph graph, Slots slots, VectorSpecies<Integer> species) {
        boolean qlinear = node.op().equals("QLinearMatMul");
        int bIndex = qlinear ? 3 : 1, aZeroIndex = 2, bZeroIndex = qlinear ? 5 : 3;
        DType aType = dtype(node.input(0));
        Tensor b = constant(graph, node, bIndex);
        if (!isByte(aType) || b == null || !isByte(b.dtype()) || b.rank() != 2) return null;
        int k = (int) b.dim(0), n = (int) b.dim(1);
        Integer aZero = zeroPoint(graph, node, aZeroIndex);
        int[] bZero = present(node, bZeroIndex) ? zeroPoints(graph, node, bZeroIndex, n) : new int[] {0};
        if (aZero == null || bZero == null) return null;
        OutputKind kind = new OutputKind.Accumulators();
        if (qlinear) {
            double[] aScale = floats(constant(graph, node, 1), 1);
            double[] bScale = floats(constant(graph, node, 4), n);
            double[] yScale = floats(constant(graph, node, 6), 1);
            Tensor yZero = constant(graph, node, 7);
            if (aScale == null || bScale == null || yScale == null || yZero == null || !isByte(yZero.dtype()) || yZero.size() != 1) return null;
            double[] multiplier = QuantConstants.multipliers(aScale[0], bScale, yScale[0]);
            kind = new OutputKind.Requantized(yZero.dtype(), new ChannelValues(multiplier, false), null, (int) yZero.getLong(0),
                    QuantConstants.lo(yZero.dtype()), QuantConstants.hi(yZero.dtype()));
        }
        QuantMatrix weights = new QuantMatrix(b.segment(), 0, k, n, n, false, b.dtype() == DType.U8, bZero, false);
        return new QMatMulStep(node, slots.of(node.input(0)), slots.of(node.output(0)), aType == DType.U8, aZero,
                new QuantGemm(species).packRight(weights), kind, species);
    }

    /** A constant scalar zero point at input {@code i} (0 when absent), or null when it is not one. */
    static Integer zeroPoint(Graph graph, Node node, int i) {
        if (!present(node, i)) return 0;
        Tensor t = constant(graph, node, i);
        return t == null || t.size() != 1 ? null : (int) t.getLong(0);
    }

    /** Constant zero points at input {@code i}, one or {@code along} of them, or null. */
    static int[] zeroPoints(Graph graph, Node node, int i, int along) {
        Tensor t = constant(graph, node, i);
        return t == null ? null : ints(t, along);
    }
}
