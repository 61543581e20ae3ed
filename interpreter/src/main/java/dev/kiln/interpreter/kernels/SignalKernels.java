package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/** DFT, STFT, the Hann/Hamming/Blackman windows and MelWeightMatrix, computed in double precision. */
public final class SignalKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("DFT", SignalKernels::dft, "STFT", SignalKernels::stft,
                "HannWindow", ctx -> window(ctx, x -> 0.5 - 0.5 * Math.cos(x)),
                "HammingWindow", ctx -> window(ctx, x -> 25.0 / 46 - 21.0 / 46 * Math.cos(x)),
                "BlackmanWindow", ctx -> window(ctx, x -> 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x)),
                "MelWeightMatrix", MelWeightMatrix::run);
    }

    /**
     * DFT along one signal axis; the last input dim holds 1 (real) or 2 (complex) parts. Opset 20 takes the axis as
     * an input (default -2), earlier opsets as an attribute (default 1). onesided forward keeps n/2+1 bins; onesided
     * inverse is the real inverse of a half spectrum (output length dft_length, default 2·(bins-1)).
     */
    private static List<RuntimeValue> dft(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        int parts = rank < 2 ? 0 : (int) x.dim(rank - 1);
        if (parts != 1 && parts != 2) throw ctx.fail("the last input dim must be 1 (real) or 2 (complex)");
        long axisValue = ctx.opset() >= 20 ? (ctx.hasInput(2) ? ctx.input(2).getLong(0) : -2) : ctx.intAttr("axis", 1);
        long a = axisValue < 0 ? axisValue + rank : axisValue;
        if (a < 0 || a >= rank - 1) throw ctx.fail("axis " + axisValue + " is out of range for input rank " + rank);
        int axis = (int) a;
        boolean inverse = ctx.intAttr("inverse", 0) != 0, onesided = ctx.intAttr("onesided", 0) != 0;
        boolean realInverse = inverse && onesided;
        int inLength = (int) x.dim(axis);
        long n = ctx.hasInput(1) ? ctx.input(1).getLong(0) : realInverse ? 2L * (inLength - 1) : inLength;
        if (n < 1 || n > Integer.MAX_VALUE / 4) throw ctx.fail("dft_length must be positive, got " + n);
        int length = (int) n, outLength = realInverse ? length : onesided ? length / 2 + 1 : length, outParts = realInverse ? 1 : 2;
        long[] shape = x.shape();
        int outer = (int) ControlTensors.product(shape, 0, axis), inner = (int) ControlTensors.product(shape, axis + 1, rank - 1);
        double[] in = x.toDoubles();
        double[] out = new double[outer * outLength * inner * outParts];
        Fourier fourier = new Fourier(length);
        double[] re = new double[length], im = new double[length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                for (int k = 0; k < length; k++) {
                    // The real inverse rebuilds the full spectrum from its half by conjugate symmetry.
                    int src = realInverse && k > length / 2 ? length - k : k;
                    if (src >= inLength) continue;
                    int at = ((o * inLength + src) * inner + i) * parts;
                    re[k] = in[at];
                    im[k] = parts == 2 ? (realInverse && k > length / 2 ? -in[at + 1] : in[at + 1]) : 0;
                }
                fourier.transform(re, im, inverse);
                double scale = inverse ? 1.0 / length : 1;
                for (int k = 0; k < outLength; k++) {
                    int at = ((o * outLength + k) * inner + i) * outParts;
                    out[at] = re[k] * scale;
                    if (outParts == 2) out[at + 1] = im[k] * scale;
                }
            }
        }
        shape[axis] = outLength;
        shape[rank - 1] = outParts;
        return List.of(Tensor.ofDoubles(x.dtype(), shape, out));
    }

    /** Short-time Fourier transform of [batch, length, 1 or 2] signals into [batch, frames, bins, 2]. */
    private static List<RuntimeValue> stft(KernelContext ctx) {
        Tensor signal = ctx.input(0);
        if (signal.rank() != 3 || (signal.dim(2) != 1 && signal.dim(2) != 2)) throw ctx.fail("signal must be [batch, length, 1 or 2]");
        long step = ctx.input(1).getLong(0);
        double[] window = ctx.hasInput(2) ? ctx.input(2).toDoubles() : null;
        long frameLength = ctx.hasInput(3) ? ctx.input(3).getLong(0) : window == null ? -1 : window.length;
        if (frameLength < 1) throw ctx.fail("frame_length (or the window) must give a positive frame length");
        if (window != null && window.length != frameLength) throw ctx.fail("window length " + window.length + " differs from frame_length " + frameLength);
        if (step < 1) throw ctx.fail("frame_step must be positive, got " + step);
        int batch = (int) signal.dim(0), length = (int) signal.dim(1), parts = (int) signal.dim(2), fl = (int) frameLength;
        if (length < fl) throw ctx.fail("signal length " + length + " is shorter than a frame (" + fl + ")");
        int frames = (int) ((length - fl) / step + 1);
        boolean onesided = ctx.intAttr("onesided", 1) != 0;
        int bins = onesided ? fl / 2 + 1 : fl;
        double[] in = signal.toDoubles(), out = new double[batch * frames * bins * 2];
        Fourier fourier = new Fourier(fl);
        double[] re = new double[fl], im = new double[fl];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < frames; f++) {
                for (int j = 0; j < fl; j++) {
                    int at = (b * length + (int) (f * step) + j) * parts;
                    double w = window == null ? 1 : window[j];
                    re[j] = in[at] * w;
                    im[j] = parts == 2 ? in[at + 1] * w : 0;
                }
                fourier.transform(re, im, false);
                for (int k = 0; k < bins; k++) {
                    int at = ((b * frames + f) * bins + k) * 2;
                    out[at] = re[k];
                    out[at + 1] = im[k];
                }
            }
        }
        return List.of(Tensor.ofDoubles(signal.dtype(), new long[] {batch, frames, bins, 2}, out));
    }

    /** w[n] = f(2πn/D) with D = N (periodic) or N-1 (symmetric). */
    private static List<RuntimeValue> window(KernelContext ctx, DoubleUnaryOperator f) {
        long size = ctx.input(0).getLong(0);
        if (size < 0) throw ctx.fail("size must be non-negative, got " + size);
        boolean periodic = ctx.intAttr("periodic", 1) != 0;
        double denominator = periodic ? size : size - 1;
        double[] w = new double[(int) size];
        for (int n = 0; n < size; n++) w[n] = denominator == 0 ? 1 : f.applyAsDouble(2 * Math.PI * n / denominator);
        DType t = DType.fromOnnxCode((int) ctx.intAttr("output_datatype", DType.F32.onnxCode()));
        return List.of(Tensor.ofDoubles(t, new long[] {size}, w));
    }
}
