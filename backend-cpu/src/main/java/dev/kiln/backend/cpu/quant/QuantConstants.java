package dev.kiln.backend.cpu.quant;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

/**
 * The constant operands of the quantized ops, read at bind time: scales, zero points and biases must be constants
 * (initializers) for a fast path, since they are baked into packed weights and epilogues; anything else binds null
 * and the node stays with the reference kernel.
 */
final class QuantConstants {
    private QuantConstants() {}

    /** The constant behind input {@code i} of {@code node}, or null when absent or computed at run time. */
    static Tensor constant(Graph graph, Node node, int i) {
        if (node.inputs().size() <= i || node.input(i).isAbsent()) return null;
        return graph.constants().get(node.input(i).name());
    }

    /** Whether input {@code i} is present. */
    static boolean present(Node node, int i) { return node.inputs().size() > i && !node.input(i).isAbsent(); }

    /** The element type of {@code v} when it is a tensor, else null. */
    static DType dtype(Value v) { return v.type() instanceof TensorType t ? t.dtype() : null; }

    /** Whether {@code t} is an 8-bit integer type, the one the integer kernels take. */
    static boolean isByte(DType t) { return t == DType.U8 || t == DType.I8; }

    /** The values of a constant integer tensor, or null when it has any other length than 1 or {@code along}. */
    static int[] ints(Tensor t, int along) {
        if (t.size() != 1 && t.size() != along) return null;
        int[] v = new int[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = Math.toIntExact(t.getLong(i));
        return v;
    }

    /** The values of a constant float32 tensor of length 1 or {@code along}, or null. */
    static double[] floats(Tensor t, int along) {
        if (t == null || t.dtype() != DType.F32 || (t.size() != 1 && t.size() != along)) return null;
        return t.toDoubles();
    }

    /** Every scale of {@code x·w / y}, rounded to float32 at each step as the ONNX reference does. */
    static double[] multipliers(double xScale, double[] wScale, double yScale) {
        double[] m = new double[wScale.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) ((float) (xScale * wScale[i]) / yScale);
        return m;
    }

    /** The lowest value of an 8-bit type. */
    static int lo(DType t) { return t == DType.U8 ? 0 : -128; }

    /** The highest value of an 8-bit type. */
    static int hi(DType t) { return t == DType.U8 ? 255 : 127; }

    /** A per-tensor quantization: a finite positive float32 scale and a zero point of an 8-bit type. */
    record PerTensor(float scale, int zeroPoint) {}

    /**
     * The constant per-tensor parameters at inputs {@code scale} and {@code zero} (absent zero point: 0) of an
     * operand of 8-bit type {@code type}, or null when either is computed at run time, has other types or more than
     * one element, or the scale is not finite and positive.
     */
    static PerTensor perTensor(Graph graph, Node node, int scale, int zero, DType type) {
        double[] s = floats(constant(graph, node, scale), 1);
        if (s == null || s.length != 1 || !(s[0] > 0) || Double.isInfinite(s[0])) return null;
        if (!present(node, zero)) return new PerTensor((float) s[0], 0);
        Tensor z = constant(graph, node, zero);
        if (z == null || z.size() != 1 || z.dtype() != type) return null;
        return new PerTensor((float) s[0], (int) z.getLong(0));
    }
}
