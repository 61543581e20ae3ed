package dev.kiln.backend.opencl.render;

/** Transpose: one loop per output dim, the input read through the permuted strides. */
final class TransposeRenderer {
    private TransposeRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] x = layer.in(0);
        long[] y = layer.out();
        int rank = x.length;
        long[] perm = new long[rank];
        if (layer.node().hasAttribute("perm")) {
            perm = layer.node().attribute("perm").asInts();
        } else {
            for (int d = 0; d < rank; d++) perm[d] = rank - 1 - d; // ONNX's default reverses the dims
        }
        long[] xs = Index.strides(x);
        long[] read = new long[rank];
        for (int d = 0; d < rank; d++) read[d] = xs[(int) (perm[d] < 0 ? perm[d] + rank : perm[d])];
        int unroll = options.unroll(layer.node().name(), rank == 0 ? 1 : y[rank - 1]);
        layer.input(0, "x");
        layer.output("y");
        CWriter c = layer.begin();
        String[] o = Index.vars("o", rank);
        for (int d = 0; d < rank; d++) c.loop(o[d], y[d], d == rank - 1 ? unroll : 1);
        c.line("y[" + Index.dot(o, Index.strides(y)) + "] = x[" + Index.dot(o, read) + "];");
        c.close(rank);
        return layer.finish(c, "single-work-item transpose " + java.util.Arrays.toString(perm));
    }
}
