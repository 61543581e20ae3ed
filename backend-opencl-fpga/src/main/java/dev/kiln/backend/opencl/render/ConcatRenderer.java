package dev.kiln.backend.opencl.render;

/** Concat: each input's blocks copied to their place in the output, one copy loop per input. */
final class ConcatRenderer {
    private ConcatRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] y = layer.out();
        int axis = (int) layer.intAttr("axis", 0);
        if (axis < 0) axis += y.length;
        long outer = Index.product(y, 0, axis);
        long inner = Index.product(y, axis + 1, y.length);
        int inputs = layer.node().inputs().size();
        for (int i = 0; i < inputs; i++) layer.input(i, "in" + i);
        layer.output("y");
        CWriter c = layer.begin();
        long offset = 0;
        for (int i = 0; i < inputs; i++) {
            long block = layer.in(i)[axis] * inner;
            c.loop("o", outer).loop("t", block, options.unroll(layer.node().name(), block));
            c.line("y[o * " + y[axis] * inner + " + " + offset + " + t] = in" + i + "[o * " + block + " + t];");
            c.close(2);
            offset += block;
        }
        return layer.finish(c, "single-work-item concat of " + inputs + " along axis " + axis);
    }
}
