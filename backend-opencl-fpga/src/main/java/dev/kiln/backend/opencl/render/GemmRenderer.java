package dev.kiln.backend.opencl.render;

/**
 * Gemm and {@code kiln:FusedGemm}: {@code Y = act(alpha * A' B' + beta * C)} as a single-work-item nest whose
 * K loop is unrolled; a constant B (the weights) is staged in {@code __local} memory when it fits on chip.
 * C broadcasts to [M, N] as ONNX allows (scalar, row, column or full).
 */
final class GemmRenderer {
    private GemmRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        long[] a = layer.in(0);
        long[] b = layer.in(1);
        boolean transA = layer.intAttr("transA", 0) != 0;
        boolean transB = layer.intAttr("transB", 0) != 0;
        long m = transA ? a[1] : a[0];
        long k = transA ? a[0] : a[1];
        long n = transB ? b[0] : b[1];
        float alpha = layer.floatAttr("alpha", 1f);
        float beta = layer.floatAttr("beta", 1f);
        boolean bias = layer.hasInput(2) && beta != 0f;
        Epilogue epilogue = Epilogue.of(layer);
        boolean onChip = layer.constant(1) != null && options.fitsOnChip(k * n, layer.onChipUsed());
        int unroll = options.unroll(layer.node().name(), k);

        layer.input(0, "a");
        layer.input(1, "b");
        if (bias) layer.input(2, "c");
        layer.outputInOrder("y");
        CWriter out = layer.begin();
        String bv = "b";
        if (onChip) {
            bv = "b_local";
            out.line("__local float b_local[" + k * n + "];");
            out.loop("i", k * n, options.unroll(layer.node().name() + "/load", k * n)).line("b_local[i] = b[i];").close();
        }
        out.loop("i", m).loop("j", n);
        out.line("float acc = 0.0f;");
        out.loop("p", k, unroll);
        String aIndex = transA ? "p * " + m + " + i" : "i * " + k + " + p";
        String bIndex = transB ? "j * " + k + " + p" : "p * " + n + " + j";
        out.line("acc += a[" + aIndex + "] * " + bv + "[" + bIndex + "];");
        out.close();
        if (alpha != 1f) out.line("acc *= " + Index.literal(alpha) + ";");
        if (bias) {
            long[] cs = Index.broadcastStrides(layer.in(2), new long[] {m, n});
            String c = "c[" + Index.dot(new String[] {"i", "j"}, cs) + "]";
            out.line("acc += " + (beta == 1f ? c : Index.literal(beta) + " * " + c) + ";");
        }
        epilogue.apply(out, "acc", null);
        out.line(layer.store("y", "i * " + n + " + j", "acc"));
        out.close(2);
        return layer.finish(out, "single-work-item gemm " + m + "x" + n + "x" + k + ", unroll " + unroll + ", weights "
                + (onChip ? "__local" : "__global") + epilogue.describe());
    }
}
