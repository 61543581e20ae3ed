package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.ir.ops.onnx.ConvGeometry;

/**
 * The taps of every pooling window over one image plane, computed once and reused for all N x C planes: for
 * output position {@code p}, {@code taps[start[p] .. start[p+1])} are the row-major plane offsets of the taps that
 * fall inside the image, and {@code padded[p]} counts the taps inside the image plus its explicit padding (the
 * divisor of AveragePool with count_include_pad).
 */
final class PoolWindows {
    final long[] image;
    final int imageVolume;
    final int positions;
    final int[] start;
    final int[] taps;
    final int[] padded;

    PoolWindows(long[] image, ConvGeometry g) {
        this.image = image;
        int r = image.length;
        this.imageVolume = (int) Indexing.product(image);
        this.positions = (int) Indexing.product(g.output());
        int kernelVolume = g.kernelVolume();
        long[] imageStrides = Indexing.strides(image);
        start = new int[positions + 1];
        padded = new int[positions];
        int[] buffer = new int[Math.multiplyExact(positions, kernelVolume)];
        int count = 0;
        long[] o = new long[r];
        long[] q = new long[r];
        for (int p = 0; p < positions; p++) {
            Indexing.unravel(p, g.output(), o);
            start[p] = count;
            for (int kp = 0; kp < kernelVolume; kp++) {
                Indexing.unravel(kp, g.kernel(), q);
                boolean inImage = true;
                boolean inPadding = true;
                long offset = 0;
                for (int a = 0; a < r; a++) {
                    long x = o[a] * g.strides()[a] - g.padsBegin()[a] + q[a] * g.dilations()[a];
                    if (x < 0 || x >= image[a]) inImage = false;
                    if (x < -g.padsBegin()[a] || x >= image[a] + g.padsEnd()[a]) inPadding = false;
                    offset += x * imageStrides[a];
                }
                if (inPadding) padded[p]++;
                if (inImage) buffer[count++] = (int) offset;
            }
        }
        start[positions] = count;
        taps = java.util.Arrays.copyOf(buffer, count);
    }

    /** A row-major plane offset as the column-major offset MaxPool reports for storage_order 1. */
    int columnMajor(int offset) {
        int result = 0;
        int stride = 1;
        long[] idx = new long[image.length];
        Indexing.unravel(offset, image, idx);
        for (int a = 0; a < image.length; a++) {
            result += (int) idx[a] * stride;
            stride *= (int) image[a];
        }
        return result;
    }
}
