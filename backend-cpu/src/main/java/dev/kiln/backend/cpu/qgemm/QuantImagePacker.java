package dev.kiln.backend.cpu.qgemm;

import dev.kiln.backend.cpu.linear.ConvGeometry;

import java.lang.foreign.MemorySegment;

/**
 * Implicit im2col for the integer convolution: an image's channels {@code [c0, c0 + channels)} are first widened
 * into a zero-padded int32 copy with the zero point subtracted (so padding is plain 0, which is exactly the
 * quantized zero), then the unfolded matrix ({@code channels·kH·kW × outH·outW}, rows in the weights' (c, kh, kw)
 * order) is written straight into a {@link PackedRight}'s panels — runs of contiguous pixels as bulk copies when
 * the stride is 1 — a block of pixels at a time, so it never exists unpacked.
 */
public final class QuantImagePacker {
    private final ConvGeometry g;
    private final int channels;
    private final int paddedH;
    private final int paddedW;

    /** A packer for {@code channels} input channels of images of geometry {@code g}. */
    public QuantImagePacker(ConvGeometry g, int channels) {
        this.g = g;
        this.channels = channels;
        this.paddedH = g.inH() + g.padTop() + g.padBottom();
        this.paddedW = g.inW() + g.padLeft() + g.padRight();
    }

    /** Ints of the padded copy. */
    public int paddedInts() { return Math.multiplyExact(channels, paddedH * paddedW); }

    /**
     * Widens channels {@code [c0, c0 + channels)} of the CHW byte image at {@code image[offset]} into {@code padded},
     * minus {@code zeroPoint}.
     */
    public void pad(MemorySegment image, long offset, boolean unsigned, int zeroPoint, int c0, int[] padded) {
        java.util.Arrays.fill(padded, 0, paddedInts(), 0);
        int h = g.inH(), w = g.inW();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                long from = offset + ((long) (c0 + c) * h + y) * w;
                int to = (c * paddedH + y + g.padTop()) * paddedW + g.padLeft();
                QuantPacking.widenRow(image, from, w, unsigned, zeroPoint, padded, to);
            }
        }
    }

    /**
     * Writes output pixels {@code [first, first + into.n())} of the unfolded matrix of {@code padded} into
     * {@code into} ({@code depth × n}): a block of pixels at a time, so that the packed block stays in L2 on its way
     * to the micro-kernel instead of the whole unfolded image going out to L3 and back.
     */
    public void pack(int[] padded, int first, PackedRight into) {
        int kh = g.kH(), kw = g.kW(), outW = g.outW(), nr = into.nr(), k = into.k(), n = into.n();
        int[] dst = into.data();
        int paddedPixels = into.panels() * nr, last = first + n;
        for (int r = 0; r < k; r++) {
            int j = r % kw, i = r / kw % kh, c = r / (kw * kh);
            for (int oh = first / outW; oh * outW < last; oh++) {
                int src = (c * paddedH + oh * g.strideH() + i * g.dilationH()) * paddedW + j * g.dilationW();
                int ow0 = Math.max(0, first - oh * outW), ow1 = Math.min(outW, last - oh * outW);
                int p = oh * outW - first;
                if (g.strideW() == 1) {
                    for (int ow = ow0; ow < ow1; ) {
                        int lane = (p + ow) % nr, run = Math.min(nr - lane, ow1 - ow);
                        System.arraycopy(padded, src + ow, dst, (p + ow) / nr * k * nr + r * nr + lane, run);
                        ow += run;
                    }
                } else {
                    for (int ow = ow0; ow < ow1; ow++) {
                        dst[(p + ow) / nr * k * nr + r * nr + (p + ow) % nr] = padded[src + ow * g.strideW()];
                    }
                }
            }
            for (int q = n; q < paddedPixels; q++) dst[q / nr * k * nr + r * nr + q % nr] = 0;
        }
    }
}
