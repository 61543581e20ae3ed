package dev.kiln.interpreter.kernels;

/**
 * One-dimensional complex discrete Fourier transforms in double precision: radix-2 FFT for power-of-two lengths,
 * a direct sum with exact twiddle factors otherwise. Unnormalized in both directions.
 */
final class Fourier {
    private final int n;
    private final double[] cos;
    private final double[] sin;

    Fourier(int n) {
        this.n = n;
        cos = new double[n];
        sin = new double[n];
        for (int k = 0; k < n; k++) {
            double angle = 2 * Math.PI * k / n;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
    }

    /** Transforms (re, im) of length n in place; {@code inverse} uses e^{+2πi kn/N}. */
    void transform(double[] re, double[] im, boolean inverse) {
        if (n > 1 && Integer.bitCount(n) == 1) fft(re, im, inverse);
        else direct(re, im, inverse);
    }

    private void direct(double[] re, double[] im, boolean inverse) {
        double[] outRe = new double[n], outIm = new double[n];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                int t = (int) ((long) k * j % n);
                double c = cos[t], s = sign * sin[t];
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
        System.arraycopy(outRe, 0, re, 0, n);
        System.arraycopy(outIm, 0, im, 0, n);
    }

    private void fft(double[] re, double[] im, boolean inverse) {
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int stride = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < len / 2; k++) {
                    double c = cos[k * stride], s = sign * sin[k * stride];
                    int a = start + k, b = a + len / 2;
                    double tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
