package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;

/**
 * The integer kernels: QLinearMatMul and MatMulInteger by a constant 2-D B, QLinearConv and ConvInteger with
 * constant weights, on the int8 GEMM of {@code qgemm} with requantization fused. Scales, zero points and biases
 * must be constants (as in every quantized model), activations and weights int8 or uint8, scales float32; also
 * QuantizeLinear and DequantizeLinear per tensor, the boundaries of a quantized graph; MaxPool on int8/uint8; and ONNX Runtime's
 * com.microsoft QLinearAdd, QLinearConcat and QLinearGlobalAveragePool ({@link QLinearContribBinding}). Other
 * variants (float16 scales, 4-bit types, run-time weights) stay with the reference kernel.
 */
public final class QuantFamily implements CpuKernelFamily {
    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        VectorSpecies<Integer> species = VectorSpecies.of(int.class, VectorShape.forBitSize(context.species().vectorBitSize()));
        return switch (node.qualifiedOp()) {
            case "QLinearMatMul", "MatMulInteger" -> QMatMulBinding.bind(node, graph, slots, species);
            case "QLinearConv", "ConvInteger" -> QConvBinding.bind(node, graph, slots, species);
            case "QuantizeLinear", "DequantizeLinear" -> boundary(node, graph, slots);
            case "MaxPool" -> QMaxPoolBinding.bind(node, slots, context.species());
            case "com.microsoft:QLinearAdd", "com.microsoft:QLinearConcat", "com.microsoft:QLinearGlobalAveragePool" ->
                    QLinearContribBinding.bind(node, graph, slots, context.species());
            default -> null;
        };
    }

    /**
     * QuantizeLinear (float32 to int8/uint8, saturating, no precision override) or DequantizeLinear (int8/uint8 to
     * float32) with a constant per-tensor float32 scale and zero point; else null.
     */
    private static Step boundary(Node node, Graph graph, Slots slots) {
        boolean quantize = node.op().equals("QuantizeLinear");
        if (node.attribute("output_dtype") != null || node.attribute("precision") != null || intAttr(node, "saturate", 1) != 1) return null;
        double[] scale = QuantConstants.floats(QuantConstants.constant(graph, node, 1), 1);
        Tensor zero = QuantConstants.constant(graph, node, 2);
        if (scale == null || zero == null || zero.size() != 1 || !QuantConstants.isByte(zero.dtype())) return null;
        DType from = QuantConstants.dtype(node.input(0)), to = QuantConstants.dtype(node.output(0));
        DType quantized = quantize ? to : from;
        if (quantized != zero.dtype() || (quantize ? from : to) != DType.F32) return null;
        return new LinearQuantizeStep(node, slots.of(node.input(0)), slots.of(node.output(0)), quantize, quantized, (float) scale[0],
                (int) zero.getLong(0));
    }
}
