package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.QuantizeOps;
import dev.kiln.ir.tensor.NumericFormats;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** QuantizeLinear, DequantizeLinear (per tensor, per axis or blocked) and DynamicQuantizeLinear. */
public final class QuantizeKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "QuantizeLinear", QuantizeKernels::quantize,
                "DequantizeLinear", QuantizeKernels::dequantize,
                "DynamicQuantizeLinear", QuantizeKernels::dynamicQuantize);
    }

    /** {@code v} rounded to the precision of a float type (f64 and non-float types keep the double). */
    static double roundTo(DType type, double v) {
        return switch (type) {
            case F32 -> (float) v;
            case F16, BF16 -> NumericFormats.decode(type, NumericFormats.encode(type, v, false));
            default -> v;
        };
    }

    /**
     * Maps each element of x to its scale and zero point: one for the tensor, one per index along {@code axis}
     * (1-D scale), or one per block of {@code block_size} along {@code axis} (scale of x's rank).
     */
    private record Granularity(int dim, int inner, int scaleDim, int block) {
        static Granularity of(KernelContext ctx, Tensor x, Tensor scale) {
            if (scale.size() == 1 && scale.rank() <= 1) return new Granularity(1, Math.max(1, x.size()), 1, 0);
            int axis = NormalizationKernels.axis(ctx, ctx.intAttr("axis", 1), x.rank());
            long blockSize = ctx.intAttr("block_size", 0);
            int dim = (int) x.dim(axis);
            int inner = 1;
            for (int a = axis + 1; a < x.rank(); a++) inner *= (int) x.dim(a);
            if (blockSize <= 0) {
                if (scale.rank() != 1 || scale.dim(0) != dim) {
                    throw ctx.fail("per-axis scale must have " + dim + " values along axis " + axis + ", got " + scale.type());
                }
                return new Granularity(dim, inner, dim, 0);
            }
            long blocks = Math.ceilDiv(dim, blockSize);
            long[] expected = x.shape();
            expected[axis] = blocks;
            if (!java.util.Arrays.equals(expected, scale.shape())) {
                throw ctx.fail("blocked scale must have shape " + java.util.Arrays.toString(expected) + ", got " + scale.type());
            }
            return new Granularity(dim, inner, (int) blocks, (int) blockSize);
        }

        /** The scale index of x's element i (block 0: per tensor or per axis, where it is the axis coordinate). */
        int index(int i) {
            int d = (i / inner) % dim;
            if (block == 0) return d;
            int o = i / (inner * dim);
            return (o * scaleDim + d / block) * inner + i % inner;
        }
    }

    private static double[] zeroPoint(KernelContext ctx, int i, Tensor scale) {
        if (!ctx.hasInput(i)) return new double[scale.size()];
        Tensor zp = ctx.input(i);
        if (zp.size() != scale.size()) throw ctx.fail("zero point " + zp.type() + " must match scale " + scale.type());
        return zp.toDoubles();
    }

    /** {@code y = saturate(round(x / y_scale) + y_zero_point)}; float8 and float4 targets round x / scale + zp to the format. */
    private static List<RuntimeValue> quantize(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor scale = ctx.input(1);
        DType out;
        try {
            out = QuantizeOps.quantizedType(ctx.intAttr("output_dtype", 0), ctx.hasInput(2) ? ctx.input(2).dtype() : null);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        long precisionCode = ctx.intAttr("precision", 0);
        DType precision = precisionCode != 0 ? DType.fromOnnxCode((int) precisionCode) : scale.dtype();
        boolean saturate = ctx.intAttr("saturate", 1) != 0;
        Granularity g = Granularity.of(ctx, x, scale);
        double[] scales = scale.toDoubles();
        double[] zeros = zeroPoint(ctx, 2, scale);
        if (out.isFloat()) {
            // small float formats: encode directly so that saturate=0 can yield infinities and NaN bit patterns
            byte[] bits = new byte[x.size()];
            for (int i = 0; i < bits.length; i++) {
                int s = g.index(i);
                double q = roundTo(precision, x.getDouble(i) / scales[s]);
                bits[i] = (byte) NumericFormats.encode(out, q + zeros[s], saturate || out == DType.F4E2M1);
            }
            return List.of(Tensor.fromStorage(out, x.shape(), ByteBuffer.wrap(bits)));
        }
        long[] range = NnTensors.integerRange(out);
        Tensor y = Tensor.zeros(out, x.shape());
        for (int i = 0; i < x.size(); i++) {
            int s = g.index(i);
            double q = roundTo(precision, x.getDouble(i) / scales[s]);
            y.setLong(i, NnTensors.saturate(Math.rint(q) + zeros[s], range));
        }
        return List.of(y);
    }

    /** {@code y = (x - x_zero_point) * x_scale} in the output type (output_dtype, else the scale's type). */
    private static List<RuntimeValue> dequantize(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor scale = ctx.input(1);
        long outputDtype = ctx.intAttr("output_dtype", 0);
        DType out = outputDtype != 0 ? DType.fromOnnxCode((int) outputDtype) : scale.dtype();
        Granularity g = Granularity.of(ctx, x, scale);
        double[] scales = scale.toDoubles();
        double[] zeros = zeroPoint(ctx, 2, scale);
        double[] y = new double[x.size()];
        for (int i = 0; i < y.length; i++) {
            int s = g.index(i);
            y[i] = (x.getDouble(i) - zeros[s]) * scales[s];
        }
        return List.of(NnTensors.of(out, x.shape(), y));
    }

    /**
     * uint8 quantization with scale and zero point chosen from the data's range (widened to include 0), in float32
     * arithmetic as the op's function body computes it.
     */
    private static List<RuntimeValue> dynamicQuantize(KernelContext ctx) {
        Tensor x = ctx.input(0);
        float min = 0;
        float max = 0;
        for (int i = 0; i < x.size(); i++) {
            float v = (float) x.getDouble(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = (max - min) / 255f;
        double zero = scale == 0 ? 0 : Math.rint(Math.max(0, Math.min(255, 0 - min / scale)));
        long[] range = NnTensors.integerRange(DType.U8);
        Tensor y = Tensor.zeros(DType.U8, x.shape());
        for (int i = 0; i < x.size(); i++) {
            double q = scale == 0 ? 0 : Math.rint((float) x.getDouble(i) / scale);
            y.setLong(i, NnTensors.saturate(q + zero, range));
        }
        return List.of(y, Tensor.scalar(DType.F32, scale), Tensor.scalar(DType.U8, zero));
    }
}
