package dev.kiln.backend.opencl.render;

/**
 * Softmax and LogSoftmax over one axis (opset 13 on) or over everything from the axis on (older opsets, which
 * flatten to 2-D): three passes over each row — max, sum of exponentials, normalize — with the max subtracted
 * so the exponentials cannot overflow.
 */
final class SoftmaxRenderer {
    private SoftmaxRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        boolean log = layer.node().op().equals("LogSoftmax");
        boolean perAxis = layer.opset() >= 13;
        int axis = (int) layer.intAttr("axis", perAxis ? -1 : 1);
        if (axis < 0) axis += x.length;
        long outer = Index.product(x, 0, axis);
        long length = perAxis ? x[axis] : Index.product(x, axis, x.length);
        long inner = perAxis ? Index.product(x, axis + 1, x.length) : 1;
        int unroll = options.unroll(layer.node().name(), length);
        String at = "base + a * " + inner;

        layer.input(0, "x");
        layer.output("y");
        CWriter c = layer.begin();
        c.loop("o", outer).loop("q", inner);
        c.line("const int base = o * " + length * inner + " + q;");
        c.line("float top = -INFINITY;");
        c.loop("a", length, unroll).line("top = fmax(top, x[" + at + "]);").close();
        c.line("float sum = 0.0f;");
        c.loop("a", length, unroll).line("sum += exp(x[" + at + "] - top);").close();
        c.loop("a", length, unroll);
        c.line(log ? "y[" + at + "] = x[" + at + "] - top - log(sum);" : "y[" + at + "] = exp(x[" + at + "] - top) / sum;");
        c.close(3);
        return layer.finish(c, "single-work-item " + (log ? "log-softmax" : "softmax") + " over " + length + ", unroll " + unroll);
    }
}
