package dev.kiln.backend.opencl.render;

/**
 * BatchNormalization in its inference form, {@code (x - mean) / sqrt(var + epsilon) * scale + B}: the per-channel
 * factor and offset are computed once per channel, outside the pipelined loop over the channel's elements.
 */
final class BatchNormRenderer {
    private BatchNormRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long channels = x.length > 1 ? x[1] : 1;
        long volume = Index.product(x, 2, x.length);
        float epsilon = layer.floatAttr("epsilon", 1e-5f);
        int unroll = options.unroll(layer.node().name(), volume);
        layer.inputInOrder(0, "x");
        layer.input(1, "scale");
        layer.input(2, "bias");
        layer.input(3, "mean");
        layer.input(4, "var");
        layer.outputInOrder("y");
        CWriter c = layer.begin();
        c.loop("n", x[0]).loop("ch", channels);
        c.line("const float factor = scale[ch] / sqrt(var[ch] + " + Index.literal(epsilon) + ");");
        c.line("const float offset = bias[ch] - mean[ch] * factor;");
        c.line("const int base = (n * " + channels + " + ch) * " + volume + ";");
        c.loop("i", volume, unroll).line(layer.store("y", "base + i", layer.read(0, "x", "base + i") + " * factor + offset")).close();
        c.close(2);
        return layer.finish(c, "single-work-item batch normalization, unroll " + unroll);
    }
}
