package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Conv, ConvInteger and QLinearConv (via {@link ConvCore}), plus ConvTranspose, Col2Im and DeformConv. */
public final class ConvKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "Conv", ConvKernels::conv,
                "ConvInteger", ConvKernels::convInteger,
                "QLinearConv", ConvKernels::qlinearConv,
                "ConvTranspose", ConvTransposeKernels::convTranspose,
                "Col2Im", ConvTransposeKernels::col2im,
                "DeformConv", DeformConvKernel::run);
    }

    private static List<RuntimeValue> conv(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        ConvGeometry g = ConvCore.geometry(ctx, x, w);
        int group = ConvCore.group(ctx, x, w);
        double[] y = ConvCore.convolve(x.toDoubles(), x.shape(), w.toDoubles(), w.dim(0), g, group);
        long[] shape = ConvCore.outputShape(x, w, g);
        if (ctx.hasInput(2)) {
            double[] bias = NnTensors.perChannel(ctx, 2, (int) w.dim(0), 0, "bias");
            ConvCore.addBias(y, bias, x.dim(0), w.dim(0), (int) Indexing.product(g.output()));
        }
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    private static List<RuntimeValue> convInteger(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        ConvGeometry g = ConvCore.geometry(ctx, x, w);
        double[] y = integerConv(ctx, g, x, NnTensors.scalar(ctx, 2, 0, "x_zero_point"), w, 3);
        long[] shape = ConvCore.outputShape(x, w, g);
        return List.of(NnTensors.quantized(DType.I32, shape, y));
    }

    /** The exact integer convolution of {@code (x - xZero)} and {@code (w - wZero[m])}, w's zero point at input wZeroInput. */
    private static double[] integerConv(KernelContext ctx, ConvGeometry g, Tensor x, double xZero, Tensor w, int wZeroInput) {
        int group = ConvCore.group(ctx, x, w);
        int m = (int) w.dim(0);
        double[] xs = x.toDoubles();
        for (int i = 0; i < xs.length; i++) xs[i] -= xZero;
        double[] ws = w.toDoubles();
        double[] wZero = NnTensors.perChannel(ctx, wZeroInput, m, 0, "w_zero_point");
        int perChannel = ws.length / Math.max(1, m);
        for (int i = 0; i < ws.length; i++) ws[i] -= wZero[i / perChannel];
        return ConvCore.convolve(xs, x.shape(), ws, m, g, group);
    }

    /** y = saturate(round((conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale[m] / y_scale) + y_zp). */
    private static List<RuntimeValue> qlinearConv(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(3);
        double xScale = NnTensors.scalar(ctx, 1, 1, "x_scale");
        double xZero = NnTensors.scalar(ctx, 2, 0, "x_zero_point");
        int m = (int) w.dim(0);
        double[] wScale = NnTensors.perChannel(ctx, 4, m, 1, "w_scale");
        double yScale = NnTensors.scalar(ctx, 6, 1, "y_scale");
        double yZero = NnTensors.scalar(ctx, 7, 0, "y_zero_point");
        ConvGeometry g = ConvCore.geometry(ctx, x, w);
        double[] y = integerConv(ctx, g, x, xZero, w, 5);
        double[] bias = NnTensors.perChannel(ctx, 8, m, 0, "B");
        int positions = (int) Indexing.product(g.output());
        DType scaleType = ctx.input(1).dtype();
        for (int i = 0; i < y.length; i++) {
            int c = (i / positions) % m;
            double multiplier = QuantizeKernels.roundTo(scaleType, QuantizeKernels.roundTo(scaleType, xScale * wScale[c]) / yScale);
            y[i] = Math.rint((y[i] + bias[c]) * multiplier) + yZero;
        }
        DType out = ctx.hasInput(7) ? ctx.input(7).dtype() : x.dtype();
        return List.of(NnTensors.quantized(out, ConvCore.outputShape(x, w, g), y));
    }
}
