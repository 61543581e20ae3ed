package dev.kiln.backend.cpu.depthwise;

/**
 * The sizes of a grouped 2-D convolution over one NCHW image: {@code groups} groups of {@code inPerGroup} input and
 * {@code outPerGroup} output channels, kernel, stride, padding (top, left; bottom and right only shape the output)
 * and dilation. Depthwise is {@code inPerGroup == 1}.
 */
record GroupedGeometry(int groups, int inPerGroup, int outPerGroup, int inH, int inW, int kH, int kW, int strideH, int strideW,
                       int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW) {
    GroupedGeometry {
        if (groups < 1 || inPerGroup < 1 || outPerGroup < 1 || kH < 1 || kW < 1 || strideH < 1 || strideW < 1
                || dilationH < 1 || dilationW < 1 || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
    }

    int inC() { return groups * inPerGroup; }

    int outC() { return groups * outPerGroup; }

    int outH() { return (inH + padTop + padBottom - dilationH * (kH - 1) - 1) / strideH + 1; }

    int outW() { return (inW + padLeft + padRight - dilationW * (kW - 1) - 1) / strideW + 1; }

    /** Kernel taps, {@code kH·kW}. */
    int taps() { return kH * kW; }

    GroupedGeometry withInput(int h, int w) {
        return new GroupedGeometry(groups, inPerGroup, outPerGroup, h, w, kH, kW, strideH, strideW, padTop, padLeft, padBottom,
                padRight, dilationH, dilationW);
    }
}
