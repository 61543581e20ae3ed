package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;

/**
 * Binds ONNX Runtime's com.microsoft QLinearAdd (operands of one shape), QLinearConcat and QLinearGlobalAveragePool
 * (NCHW) with constant per-tensor parameters; null for anything else (broadcasting adds, QLinearMul,
 * QLinearAveragePool, NHWC), which the reference kernel runs.
 */
final class QLinearContribBinding {
    private QLinearContribBinding() {}

    static Step bind(Node node, Graph graph, Slots slots, VectorSpecies<Float> species) {
        DType type = QuantConstants.dtype(node.output(0));
        if (type == null || !QuantConstants.isByte(type)) return null;
        return switch (node.op()) {
            case "QLinearAdd" -> add(node, graph, slots, species, type);
            case "QLinearConcat" -> concat(node, graph, slots, type);
            case "QLinearGlobalAveragePool" -> globalAveragePool(node, graph, slots, type);
            default -> null;
        };
    }

    private static Step add(Node node, Graph graph, Slots slots, VectorSpecies<Float> species, DType type) {
        if (!(node.input(0).type() instanceof TensorType a) || !(node.input(3).type() instanceof TensorType b)) return null;
        if (!a.shape().hasRank() || !a.shape().equals(b.shape())) return null;
        QuantConstants.PerTensor pa = QuantConstants.perTensor(graph, node, 1, 2, type);
        QuantConstants.PerTensor pb = QuantConstants.perTensor(graph, node, 4, 5, type);
        QuantConstants.PerTensor pc = QuantConstants.perTensor(graph, node, 6, 7, type);
        if (pa == null || pb == null || pc == null) return null;
        return new QLinearAddStep(node, slots.of(node.input(0)), slots.of(node.input(3)), slots.of(node.output(0)),
                QLinearAddKernel.of(species), new QLinearAddKernel.Params(pa, pb, pc, type == DType.U8));
    }

    private static Step concat(Node node, Graph graph, Slots slots, DType type) {
        QuantConstants.PerTensor y = QuantConstants.perTensor(graph, node, 0, 1, type);
        if (y == null || (node.inputs().size() - 2) % 3 != 0 || !node.hasAttribute("axis")) return null;
        int count = (node.inputs().size() - 2) / 3;
        int[] inputs = new int[count];
        byte[][] tables = new byte[count][];
        for (int i = 0; i < count; i++) {
            int at = 2 + 3 * i;
            QuantConstants.PerTensor x = QuantConstants.perTensor(graph, node, at + 1, at + 2, type);
            if (x == null || QuantConstants.dtype(node.input(at)) != type) return null;
            inputs[i] = slots.of(node.input(at));
            tables[i] = QLinearConcatStep.requantization(x, y, type == DType.U8);
        }
        return new QLinearConcatStep(node, inputs, slots.of(node.output(0)), (int) node.attribute("axis").asInt(), type, tables);
    }

    private static Step globalAveragePool(Node node, Graph graph, Slots slots, DType type) {
        if (intAttr(node, "channels_last", 0) != 0) return null;
        QuantConstants.PerTensor x = QuantConstants.perTensor(graph, node, 1, 2, type);
        QuantConstants.PerTensor y = QuantConstants.perTensor(graph, node, 3, 4, type);
        if (x == null || y == null) return null;
        return new QLinearGlobalAveragePoolStep(node, slots.of(node.input(0)), slots.of(node.output(0)), type, x, y);
    }
}
