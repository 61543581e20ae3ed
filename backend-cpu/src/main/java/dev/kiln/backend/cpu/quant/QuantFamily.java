package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer kernels: QLinearMatMul and MatMulInteger by a constant 2-D B, QLinearConv and ConvInteger with
 * constant weights, on the int8 GEMM of {@code qgemm} with requantization fused. Scales, zero points and biases
 * must be constants (as in every quantized model), activations and weights int8 or uint8, scales float32; other
 * variants (float16 scales, 4-bit types, run-time weights) stay with the reference kernel.
 */
public final class QuantFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        VectorSpecies<Integer> species = VectorSpecies.of(int.class, VectorShape.forBitSize(context.species().vectorBitSize()));
        return switch (node.qualifiedOp()) {
            case "QLinearMatMul", "MatMulInteger" -> QMatMulBinding.bind(node, graph, slots, species);
            case "QLinearConv", "ConvInteger" -> QConvBinding.bind(node, graph, slots, species);
            default -> null;
        };
    }
}
