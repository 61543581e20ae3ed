package dev.kiln.backend.cpu.linear;

/** The sizes of a 2-D convolution over one image: input, kernel, stride, padding, dilation, output. */
public record ConvGeometry(int inC, int inH, int inW, int outC, int kH, int kW, int strideH, int strideW, int padTop, int padLeft,
                    int padBottom, int padRight, int dilationH, int dilationW) {
    public int outH() { return (inH + padTop + padBottom - dilationH * (kH - 1) - 1) / strideH + 1; }

    public int outW() { return (inW + padLeft + padRight - dilationW * (kW - 1) - 1) / strideW + 1; }

    /** Rows of the unfolded input: one per input channel and kernel offset. */
    public int depth() { return inC * kH * kW; }

    /** Whether the input image already is the unfolded matrix (a 1×1 kernel, unit stride, no padding). */
    public boolean isPointwise() {
        return kH == 1 && kW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    public ConvGeometry withInput(int h, int w) {
        return new ConvGeometry(inC, h, w, outC, kH, kW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW);
    }
}
