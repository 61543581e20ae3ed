package dev.kiln.backend.cpu.pool;

/**
 * A 2-D pooling window: size, stride, padding (top, left, bottom, right), dilation and rounding. The output size
 * follows ONNX: floor, or with {@code ceil} rounded up unless the last window would start in the trailing padding.
 */
record PoolWindow(int kH, int kW, int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                  int dilationH, int dilationW, boolean ceil) {
    int outH(int h) { return out(h, kH, strideH, padTop, padBottom, dilationH); }

    int outW(int w) { return out(w, kW, strideW, padLeft, padRight, dilationW); }

    private int out(int in, int k, int stride, int padBegin, int padEnd, int dilation) {
        int span = in + padBegin + padEnd - dilation * (k - 1) - 1;
        int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) out--;
        return out;
    }
}
