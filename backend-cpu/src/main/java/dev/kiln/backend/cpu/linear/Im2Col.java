package dev.kiln.backend.cpu.linear;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unfolds one NCHW image into the [C·kh·kw, Ho·Wo] matrix a convolution multiplies its weights by: row
 * {@code (c·kh + i)·kw + j} holds input channel {@code c} shifted by kernel offset (i, j), zeros where the window
 * hangs over the padding. With unit stride and dilation, each row's valid stretch is one bulk copy.
 */
final class Im2Col {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Im2Col() {}

    /** {@code g} is the geometry; the image starts at byte {@code xOffset} of {@code x}; {@code dst} gets K×P floats. */
    static void unfold(ConvGeometry g, MemorySegment x, long xOffset, MemorySegment dst) {
        int p = g.outH() * g.outW();
        for (int c = 0; c < g.inC(); c++) {
            long plane = xOffset + (long) c * g.inH() * g.inW() * Float.BYTES;
            for (int i = 0; i < g.kH(); i++) {
                for (int j = 0; j < g.kW(); j++) {
                    long row = ((long) (c * g.kH() + i) * g.kW() + j) * p * Float.BYTES;
                    unfoldRow(g, x, plane, i, j, dst, row);
                }
            }
        }
    }

    private static void unfoldRow(ConvGeometry g, MemorySegment x, long plane, int i, int j, MemorySegment dst, long row) {
        int outW = g.outW();
        for (int oh = 0; oh < g.outH(); oh++) {
            long out = row + (long) oh * outW * Float.BYTES;
            int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
            if (ih < 0 || ih >= g.inH()) {
                for (int ow = 0; ow < outW; ow++) dst.set(F, out + (long) ow * Float.BYTES, 0f);
                continue;
            }
            long inRow = plane + (long) ih * g.inW() * Float.BYTES;
            int shift = j * g.dilationW() - g.padLeft();
            if (g.strideW() == 1) {
                // iw = ow + shift: zeros before 0, one copy of the valid stretch, zeros after inW.
                int first = Math.max(0, -shift), last = Math.min(outW, g.inW() - shift);
                for (int ow = 0; ow < Math.min(first, outW); ow++) dst.set(F, out + (long) ow * Float.BYTES, 0f);
                if (last > first) {
                    MemorySegment.copy(x, inRow + (long) (first + shift) * Float.BYTES, dst, out + (long) first * Float.BYTES,
                            (long) (last - first) * Float.BYTES);
                }
                for (int ow = Math.max(last, first); ow < outW; ow++) dst.set(F, out + (long) ow * Float.BYTES, 0f);
            } else {
                for (int ow = 0; ow < outW; ow++) {
                    int iw = ow * g.strideW() + shift;
                    float v = iw < 0 || iw >= g.inW() ? 0f : x.get(F, inRow + (long) iw * Float.BYTES);
                    dst.set(F, out + (long) ow * Float.BYTES, v);
                }
            }
        }
    }
}
