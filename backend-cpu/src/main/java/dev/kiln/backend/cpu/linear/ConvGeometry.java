package dev.kiln.backend.cpu.linear;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;

import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;

/** The sizes of a 2-D convolution over one image: input, kernel, stride, padding, dilation, output. */
public record ConvGeometry(int inC, int inH, int inW, int outC, int kH, int kW, int strideH, int strideW, int padTop, int padLeft,
                    int padBottom, int padRight, int dilationH, int dilationW) {
    /**
     * The geometry of a 2-D convolution node (Conv, QLinearConv, ConvInteger…) with weights {@code outC × inC/groups
     * × kH × kW}, the input size left 0 ({@link #withInput}); null when its padding is neither explicit nor VALID or an
     * attribute has another length than 2-D takes.
     */
    public static ConvGeometry of(Node node, long[] weights, int groups) {
        Attribute autoPad = node.attributes().get("auto_pad");
        if (autoPad != null && !autoPad.asString().equals("NOTSET") && !autoPad.asString().equals("VALID")) return null;
        long[] pads = ints(node, "pads", new long[] {0, 0, 0, 0});
        long[] strides = ints(node, "strides", new long[] {1, 1});
        long[] dilations = ints(node, "dilations", new long[] {1, 1});
        if (pads.length != 4 || strides.length != 2 || dilations.length != 2) return null;
        return new ConvGeometry((int) weights[1] * groups, 0, 0, (int) weights[0], (int) weights[2], (int) weights[3], (int) strides[0],
                (int) strides[1], (int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3], (int) dilations[0], (int) dilations[1]);
    }

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
