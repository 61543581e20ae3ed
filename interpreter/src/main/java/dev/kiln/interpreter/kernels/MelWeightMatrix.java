package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * MelWeightMatrix: triangular filters on the mel scale ({@code 2595·log10(1 + f/700)}), [dft_length/2 + 1,
 * num_mel_bins]. The band edges are num_mel_bins + 2 points spaced evenly in mel between the edge frequencies
 * (the step divides by that point count, as ONNX defines it) and mapped to DFT bins by
 * {@code floor((dft_length + 1)·f / sample_rate)}.
 */
final class MelWeightMatrix {
    private MelWeightMatrix() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        long mels = ctx.input(0).getLong(0), dftLength = ctx.input(1).getLong(0), sampleRate = ctx.input(2).getLong(0);
        double lower = ctx.input(3).getDouble(0), upper = ctx.input(4).getDouble(0);
        if (mels < 1 || dftLength < 1 || sampleRate < 1) throw ctx.fail("num_mel_bins, dft_length and sample_rate must be positive");
        int spectrogramBins = (int) (dftLength / 2 + 1), points = (int) mels + 2;
        double lowMel = toMel(lower), highMel = toMel(upper);
        double step = (highMel - lowMel) / points;
        int[] edges = new int[points];
        for (int i = 0; i < points; i++) {
            double hz = 700 * (Math.pow(10, (i * step + lowMel) / 2595) - 1);
            edges[i] = (int) Math.floor((dftLength + 1) * hz / sampleRate);
        }
        double[] out = new double[spectrogramBins * (int) mels];
        for (int m = 0; m < mels; m++) {
            int left = edges[m], center = edges[m + 1], right = edges[m + 2];
            if (left < 0 || right >= spectrogramBins + 1 || center >= spectrogramBins) {
                throw ctx.fail("mel band " + m + " falls outside the spectrogram bins; check the edge frequencies");
            }
            if (center == left) {
                out[center * (int) mels + m] = 1;
            } else {
                for (int j = left; j <= center; j++) out[j * (int) mels + m] = (double) (j - left) / (center - left);
            }
            for (int j = center; j < right; j++) out[j * (int) mels + m] = (double) (right - j) / (right - center);
        }
        DType t = DType.fromOnnxCode((int) ctx.intAttr("output_datatype", DType.F32.onnxCode()));
        return List.of(Tensor.ofDoubles(t, new long[] {spectrogramBins, mels}, out));
    }

    private static double toMel(double hz) { return 2595 * Math.log10(1 + hz / 700); }
}
