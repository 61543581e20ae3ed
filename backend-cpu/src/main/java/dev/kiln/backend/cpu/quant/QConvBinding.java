package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.linear.ConvGeometry;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.qgemm.ChannelValues;
import dev.kiln.backend.cpu.qgemm.PackedLeft;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantMatrix;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.quant.QMatMulBinding.zeroPoint;
import static dev.kiln.backend.cpu.quant.QMatMulBinding.zeroPoints;
import static dev.kiln.backend.cpu.quant.QuantConstants.constant;
import static dev.kiln.backend.cpu.quant.QuantConstants.dtype;
import static dev.kiln.backend.cpu.quant.QuantConstants.floats;
import static dev.kiln.backend.cpu.quant.QuantConstants.ints;
import static dev.kiln.backend.cpu.quant.QuantConstants.isByte;
import static dev.kiln.backend.cpu.quant.QuantConstants.present;

/**
 * Which QLinearConv / ConvInteger nodes the int8 GEMM takes: 2-D NCHW int8/uint8 input with a constant per-tensor
 * zero point, constant 4-D int8/uint8 weights with per-tensor or per-output-channel zero points, explicit pads (or
 * VALID), any group count; for QLinearConv constant float32 scales (the weights' per tensor or per output channel),
 * a constant output zero point and an optional constant int32 bias. Depthwise convolutions take the direct kernel.
 */
final class QConvBinding {
    private QConvBinding() {}

    static Step bind(Node node, Graph graph, Slots slots, VectorSpecies<Integer> species) {
        boolean qlinear = node.op().equals("QLinearConv");
        int wIndex = qlinear ? 3 : 1, xZeroIndex = 2, wZeroIndex = qlinear ? 5 : 3;
        DType xType = dtype(node.input(0));
        if (!isByte(xType) || !(node.input(0).type() instanceof TensorType x) || !x.shape().hasRank() || x.shape().rank() != 4) return null;
        Tensor w = constant(graph, node, wIndex);
        if (w == null || !isByte(w.dtype()) || w.rank() != 4) return null;
        int outC = (int) w.dim(0), groups = (int) intAttr(node, "group", 1);
        if (groups < 1 || outC % groups != 0) return null;
        ConvGeometry g = ConvGeometry.of(node, w.shape(), groups);
        if (g == null) return null;
        Integer xZero = zeroPoint(graph, node, xZeroIndex);
        int[] wZero = present(node, wZeroIndex) ? zeroPoints(graph, node, wZeroIndex, outC) : new int[] {0};
        if (xZero == null || wZero == null) return null;
        boolean depthwise = groups > 1 && w.dim(1) == 1 && outC == groups;
        int products = depthwise ? 1 : groups;
        OutputKind[] kinds = qlinear ? requantized(graph, node, outC, products) : accumulators(products);
        if (kinds == null) return null;
        if (depthwise) {
            int taps = (int) (w.dim(2) * w.dim(3));
            int[] shifted = new int[outC * taps];
            for (int i = 0; i < shifted.length; i++) {
                long v = w.getLong(i);
                shifted[i] = (int) v - wZero[wZero.length == 1 ? 0 : i / taps];
            }
            return new QConvStep(node, slots.of(node.input(0)), slots.of(node.output(0)), g, null, shifted, groups, kinds,
                    xType == DType.U8, xZero, species);
        }
        QuantGemm packer = new QuantGemm(species);
        int perGroup = outC / groups, depth = g.depth() / groups;
        PackedLeft[] packed = new PackedLeft[groups];
        for (int q = 0; q < groups; q++) {
            int[] zeros = wZero.length == 1 ? wZero : Arrays.copyOfRange(wZero, q * perGroup, (q + 1) * perGroup);
            packed[q] = packer.packLeft(new QuantMatrix(w.segment(), (long) q * perGroup * depth, perGroup, depth, depth, false,
                    w.dtype() == DType.U8, zeros, true));
        }
        return new QConvStep(node, slots.of(node.input(0)), slots.of(node.output(0)), g, packed, null, groups, kinds, xType == DType.U8, xZero, species);
    }

    private static OutputKind[] accumulators(int groups) {
        OutputKind[] kinds = new OutputKind[groups];
        Arrays.fill(kinds, new OutputKind.Accumulators());
        return kinds;
    }

    /** Each group's requantization (its slice of the per-channel multipliers and biases), or null when unsupported. */
    private static OutputKind[] requantized(Graph graph, Node node, int outC, int groups) {
        double[] xScale = floats(constant(graph, node, 1), 1);
        double[] wScale = floats(constant(graph, node, 4), outC);
        double[] yScale = floats(constant(graph, node, 6), 1);
        Tensor yZero = constant(graph, node, 7);
        if (xScale == null || wScale == null || yScale == null || yZero == null || !isByte(yZero.dtype()) || yZero.size() != 1) return null;
        int[] bias = null;
        if (present(node, 8)) {
            Tensor b = constant(graph, node, 8);
            if (b == null || b.dtype() != DType.I32 || b.size() != outC) return null;
            bias = ints(b, outC);
        }
        double[] multiplier = QuantConstants.multipliers(xScale[0], wScale, yScale[0]);
        int perGroup = outC / groups;
        OutputKind[] kinds = new OutputKind[groups];
        for (int q = 0; q < groups; q++) {
            kinds[q] = new OutputKind.Requantized(yZero.dtype(), slice(multiplier, q, perGroup),
                    bias == null ? null : slice(Arrays.stream(bias).asDoubleStream().toArray(), q, perGroup),
                    (int) yZero.getLong(0), QuantConstants.lo(yZero.dtype()), QuantConstants.hi(yZero.dtype()));
        }
        return kinds;
    }

    /** Group {@code q}'s per-row values (or the one shared value). */
    private static ChannelValues slice(double[] values, int q, int perGroup) {
        return values.length == 1 ? new ChannelValues(values, true) : new ChannelValues(Arrays.copyOfRange(values, q * perGroup, (q + 1) * perGroup), true);
    }
}
