package dev.kiln.backend.opencl.render;

import dev.kiln.ir.ops.onnx.ConvGeometry;

import java.util.Arrays;

/**
 * MaxPool, AveragePool and their global forms over any spatial rank: one plane (batch × channel) after another,
 * the window taps innermost and unrolled. AveragePool divides by the taps inside the image, or with
 * count_include_pad by the taps inside image and explicit padding.
 */
final class PoolRenderer {
    private PoolRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        String op = layer.node().op();
        if (op.startsWith("Global")) return global(layer, options, op.equals("GlobalMaxPool"));
        boolean max = op.equals("MaxPool");
        long[] x = layer.in(0);
        int r = x.length - 2;
        long[] image = Arrays.copyOfRange(x, 2, x.length);
        long[] kernel = layer.node().attribute("kernel_shape").asInts();
        ConvGeometry g = ConvGeometry.forward(image, kernel, layer.node()::attribute, layer.intAttr("ceil_mode", 0) != 0);
        boolean includePad = layer.intAttr("count_include_pad", 0) != 0;
        long planes = x[0] * x[1];
        long imageVolume = Index.product(image, 0, r);
        long outVolume = Index.product(g.output(), 0, r);
        int unroll = options.unroll(layer.node().name(), kernel[r - 1]);

        long used = layer.outputHeldWhole() ? planes * outVolume * Float.BYTES : 0;
        PoolLineBuffer lines = r == 2 ? PoolLineBuffer.fit(image, kernel, g, options, used) : null;
        if (lines != null && lines.readsAllInOrder()) layer.inputInOrder(0, "x");
        else layer.input(0, "x");
        if (layer.inputOnChip(0)) lines = null; // held whole on chip already
        layer.outputInOrder("y");
        CWriter c = layer.begin();
        if (lines != null) lines.declare(c);
        String[] o = Index.vars("o", r);
        String[] k = Index.vars("k", r);
        String[] in = Index.vars("i", r);
        c.loop("p", planes);
        for (int d = 0; d < r; d++) {
            c.loop(o[d], g.output()[d]);
            if (d == 0 && lines != null) lines.load(c, layer);
        }
        c.line(max ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        if (!max) c.line("int taps = 0;");
        StringBuilder inImage = new StringBuilder();
        StringBuilder inPadding = new StringBuilder();
        for (int d = 0; d < r; d++) {
            c.loop(k[d], kernel[d], d == r - 1 ? unroll : 1);
            c.line("const int " + in[d] + " = " + Index.tap(o[d], g.strides()[d], g.padsBegin()[d], k[d], g.dilations()[d]) + ";");
            if (d > 0) {
                inImage.append(" && ");
                inPadding.append(" && ");
            }
            inImage.append(in[d]).append(" >= 0 && ").append(in[d]).append(" < ").append(image[d]);
            inPadding.append(in[d]).append(" >= ").append(-g.padsBegin()[d]).append(" && ").append(in[d]).append(" < ")
                    .append(image[d] + g.padsEnd()[d]);
        }
        String read = lines != null ? lines.read(in) : "x[p * " + imageVolume + " + " + Index.dot(in, Index.strides(image)) + "]";
        if (max) {
            c.open("if (" + inImage + ")").line("acc = fmax(acc, " + read + ");").close();
        } else {
            c.open("if (" + inImage + ")").line("acc += " + read + ";");
            if (!includePad) c.line("taps++;");
            c.close();
            if (includePad) c.open("if (" + inPadding + ")").line("taps++;").close();
        }
        c.close(r);
        c.line(layer.store("y", "p * " + outVolume + " + " + Index.dot(o, Index.strides(g.output())), max ? "acc" : "acc / (float) taps"));
        c.close(r + 1);
        return layer.finish(c, "single-work-item " + (max ? "max" : "average") + " pool " + String.join("x",
                Arrays.stream(kernel).mapToObj(Long::toString).toList()) + ", unroll " + unroll
                + (lines != null ? ", input window: line buffer " + lines.describe() : r == 2 ? ", input window: __global per tap" : ""));
    }

    private static KernelSource global(Layer layer, RenderOptions options, boolean max) {
        long[] x = layer.in(0);
        long planes = x[0] * x[1];
        long volume = Index.product(x, 2, x.length);
        int unroll = options.unroll(layer.node().name(), volume);
        layer.inputInOrder(0, "x");
        layer.outputInOrder("y");
        CWriter c = layer.begin();
        c.loop("p", planes);
        c.line(max ? "float acc = -INFINITY;" : "float acc = 0.0f;");
        c.loop("i", volume, unroll);
        String read = layer.read(0, "x", "p * " + volume + " + i");
        c.line(max ? "acc = fmax(acc, " + read + ");" : "acc += " + read + ";");
        c.close();
        c.line(layer.store("y", "p", max ? "acc" : "acc / " + volume + ".0f"));
        c.close();
        return layer.finish(c, "single-work-item global " + (max ? "max" : "average") + " pool over " + volume + ", unroll " + unroll);
    }
}
