package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;

/**
 * Moves between an image ({@code channels x image...}) and its column matrix ({@code (channels * kernel) x
 * positions}) for a window geometry where window position {@code p} and kernel offset {@code q} read image
 * coordinate {@code p * stride - padBegin + q * dilation} on each axis. Gather builds Conv's im2col matrix; scatter
 * (col2im) sums columns back into an image for ConvTranspose and Col2Im. Coordinates outside the image read zero
 * and are dropped on scatter.
 */
final class Im2Col {
    private final long[] image;
    private final long[] positions;
    private final long[] kernel;
    private final long[] strides;
    private final long[] dilations;
    private final long[] padsBegin;
    private final int imageVolume;
    private final int positionVolume;
    private final int kernelVolume;
    private final int lineLength;
    private final long[] imageStrides;

    Im2Col(long[] image, long[] positions, long[] kernel, long[] strides, long[] dilations, long[] padsBegin) {
        this.image = image;
        this.positions = positions;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.padsBegin = padsBegin;
        this.imageVolume = (int) Indexing.product(image);
        this.positionVolume = (int) Indexing.product(positions);
        this.kernelVolume = (int) Indexing.product(kernel);
        this.lineLength = positions.length == 0 ? 1 : (int) positions[positions.length - 1];
        this.imageStrides = Indexing.strides(image);
    }

    int imageVolume() { return imageVolume; }

    int positionVolume() { return positionVolume; }

    int kernelVolume() { return kernelVolume; }

    /** Positions per line (the last spatial axis); tiles are whole lines. */
    int lineLength() { return lineLength; }

    /**
     * Fills {@code col} (row-major, {@code channels * kernelVolume} rows of {@code (lineEnd - lineStart) * lineLength}
     * columns) from the image at {@code src[srcOff...]} for the lines {@code [lineStart, lineEnd)}.
     */
    void gather(double[] src, int srcOff, int channels, int lineStart, int lineEnd, double[] col) {
        int width = (lineEnd - lineStart) * lineLength;
        int row = 0;
        long[] q = new long[kernel.length];
        for (int c = 0; c < channels; c++) {
            for (int kp = 0; kp < kernelVolume; kp++, row++) {
                Indexing.unravel(kp, kernel, q);
                for (int line = lineStart; line < lineEnd; line++) {
                    int dst = row * width + (line - lineStart) * lineLength;
                    int base = lineBase(line, q);
                    if (base < 0) {
                        java.util.Arrays.fill(col, dst, dst + lineLength, 0);
                        continue;
                    }
                    copyLine(src, srcOff + c * imageVolume + base, q, col, dst);
                }
            }
        }
    }

    /** Adds the columns {@code col} (all positions) into the image at {@code dst[dstOff...]}. */
    void scatter(double[] col, int colOff, int channels, double[] dst, int dstOff) {
        int lines = positionVolume / Math.max(lineLength, 1);
        int row = 0;
        long[] q = new long[kernel.length];
        int last = kernel.length - 1;
        for (int c = 0; c < channels; c++) {
            for (int kp = 0; kp < kernelVolume; kp++, row++) {
                Indexing.unravel(kp, kernel, q);
                for (int line = 0; line < lines; line++) {
                    int base = lineBase(line, q);
                    if (base < 0) continue;
                    int from = colOff + row * positionVolume + line * lineLength;
                    int to = dstOff + c * imageVolume + base;
                    if (last < 0) {
                        dst[to] += col[from];
                        continue;
                    }
                    long offset = q[last] * dilations[last] - padsBegin[last];
                    long s = strides[last];
                    for (int p = 0; p < lineLength; p++) {
                        long x = p * s + offset;
                        if (x >= 0 && x < image[last]) dst[to + (int) x] += col[from + p];
                    }
                }
            }
        }
    }

    /** Image offset of a line's outer coordinates for kernel offset q, or -1 when any lies outside the image. */
    private int lineBase(int line, long[] q) {
        long base = 0;
        int rest = line;
        for (int a = positions.length - 2; a >= 0; a--) {
            long p = rest % positions[a];
            rest /= (int) positions[a];
            long x = p * strides[a] - padsBegin[a] + q[a] * dilations[a];
            if (x < 0 || x >= image[a]) return -1;
            base += x * imageStrides[a];
        }
        return (int) base;
    }

    private void copyLine(double[] src, int lineStart, long[] q, double[] col, int dst) {
        int last = kernel.length - 1;
        if (last < 0) {
            col[dst] = src[lineStart];
            return;
        }
        long s = strides[last];
        long offset = q[last] * dilations[last] - padsBegin[last];
        long width = image[last];
        // valid p satisfy 0 <= p*s + offset < width
        int lo = (int) Math.max(0, Math.min(lineLength, Math.ceilDiv(-offset, s)));
        int hi = (int) Math.max(lo, Math.min(lineLength, Math.ceilDiv(width - offset, s)));
        java.util.Arrays.fill(col, dst, dst + lo, 0);
        if (s == 1 && hi > lo) {
            System.arraycopy(src, (int) (lineStart + lo + offset), col, dst + lo, hi - lo);
        } else if (s > 1) {
            for (int p = lo; p < hi; p++) col[dst + p] = src[(int) (lineStart + p * s + offset)];
        }
        java.util.Arrays.fill(col, dst + hi, dst + lineLength, 0);
    }
}
