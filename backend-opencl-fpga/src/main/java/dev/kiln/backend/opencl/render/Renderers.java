package dev.kiln.backend.opencl.render;

import dev.kiln.ir.Node;

import java.util.Set;

/** Which renderer draws each op, and which ops are buffer views that need no kernel at all. */
public final class Renderers {
    /** Ops whose output is their input's bytes under another shape: the output shares the input's buffer. */
    public static final Set<String> VIEWS = Set.of("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity");
    /** Ops of the default domain with a kernel (besides {@link ScalarMath}'s elementwise ops). */
    public static final Set<String> KERNELS = Set.of("Conv", "Gemm", "MatMul", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "Softmax", "LogSoftmax", "Concat", "BatchNormalization", "Pad", "Transpose",
            "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger");
    /** Ops of domain {@code kiln} with a kernel. */
    public static final Set<String> KILN_KERNELS = Set.of("FusedConv", "FusedGemm", "FusedElementwise", "Gelu");

    private Renderers() {}

    public static boolean isView(Node node) { return node.domain().isEmpty() && VIEWS.contains(node.op()); }

    public static KernelSource render(Layer layer, RenderOptions options) {
        Node node = layer.node();
        String op = node.domain().equals("kiln") ? switch (node.op()) {
            case "FusedConv" -> "Conv";
            case "FusedGemm" -> "Gemm";
            default -> "elementwise"; // FusedElementwise, Gelu
        } : node.op();
        return switch (op) {
            case "Conv" -> ConvRenderer.render(layer, options);
            case "Gemm" -> GemmRenderer.render(layer, options);
            case "MatMul" -> MatMulRenderer.render(layer, options);
            case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool" -> PoolRenderer.render(layer, options);
            case "Softmax", "LogSoftmax" -> SoftmaxRenderer.render(layer, options);
            case "Concat" -> ConcatRenderer.render(layer, options);
            case "BatchNormalization" -> BatchNormRenderer.render(layer, options);
            case "Pad" -> PadRenderer.render(layer, options);
            case "Transpose" -> TransposeRenderer.render(layer, options);
            case "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear" -> QuantizeRenderer.render(layer, options);
            case "QLinearConv", "ConvInteger" -> IntegerConvRenderer.render(layer, options);
            case "QLinearMatMul", "MatMulInteger" -> IntegerMatMulRenderer.render(layer, options);
            default -> ElementwiseRenderer.render(layer, options);
        };
    }
}
