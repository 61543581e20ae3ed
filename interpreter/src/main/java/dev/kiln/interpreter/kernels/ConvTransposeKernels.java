package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** ConvTranspose (GEMM to columns, then col2im) and Col2Im (col2im alone). */
final class ConvTransposeKernels {
    private ConvTransposeKernels() {}

    static List<RuntimeValue> convTranspose(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        if (x.rank() < 3 || w.rank() != x.rank()) throw ctx.fail("input " + x.type() + " and weight " + w.type() + " do not fit");
        int spatial = x.rank() - 2;
        long group = ctx.intAttr("group", 1);
        int channels = (int) x.dim(1);
        if (group < 1 || channels % group != 0 || w.dim(0) != channels) {
            throw ctx.fail("weight " + w.type() + " does not fit input channels " + channels + " with group " + group);
        }
        long[] kernel = ctx.intsAttr("kernel_shape");
        if (kernel == null || kernel.length == 0) kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        if (!Arrays.equals(kernel, Arrays.copyOfRange(w.shape(), 2, w.rank()))) {
            throw ctx.fail("kernel_shape " + Arrays.toString(kernel) + " does not match weight " + w.type());
        }
        long[] in = Arrays.copyOfRange(x.shape(), 2, x.rank());
        ConvGeometry g;
        try {
            g = ConvGeometry.transposed(in, kernel, ctx::attr);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        int cg = channels / (int) group;
        int mg = (int) w.dim(1);
        int m = mg * (int) group;
        Im2Col cols = new Im2Col(g.output(), in, kernel, g.strides(), g.dilations(), g.padsBegin());
        int rows = mg * cols.kernelVolume();
        int inVolume = cols.positionVolume();
        int outVolume = cols.imageVolume();
        int batch = (int) x.dim(0);
        double[] xs = x.toDoubles();
        double[] ws = w.toDoubles();
        double[] y = new double[Math.multiplyExact(batch * m, outVolume)];
        double[] col = new double[Math.multiplyExact(rows, inVolume)];
        for (int gi = 0; gi < group; gi++) {
            double[] wt = NnGemm.transpose(ws, gi * cg * rows, cg, rows);
            for (int n = 0; n < batch; n++) {
                Arrays.fill(col, 0);
                NnGemm.multiply(rows, inVolume, cg, wt, 0, cg, xs, (n * channels + gi * cg) * inVolume, inVolume, col, 0, inVolume);
                cols.scatter(col, 0, mg, y, (n * m + gi * mg) * outVolume);
            }
        }
        if (ctx.hasInput(2)) ConvCore.addBias(y, NnTensors.perChannel(ctx, 2, m, 0, "bias"), batch, m, outVolume);
        long[] shape = new long[spatial + 2];
        shape[0] = batch;
        shape[1] = m;
        System.arraycopy(g.output(), 0, shape, 2, spatial);
        return List.of(NnTensors.of(x.dtype(), shape, y));
    }

    static List<RuntimeValue> col2im(KernelContext ctx) {
        Tensor input = ctx.input(0);
        long[] image = ctx.input(1).toLongs();
        long[] block = ctx.input(2).toLongs();
        int r = image.length;
        if (input.rank() != 3 || block.length != r) {
            throw ctx.fail("input must be [N, C*prod(block), L] with image_shape and block_shape of one length, got "
                    + input.type() + ", " + r + " and " + block.length);
        }
        long[] strides = dims(ctx, "strides", r, 1);
        long[] dilations = dims(ctx, "dilations", r, 1);
        long[] pads = dims(ctx, "pads", 2 * r, 0);
        long[] positions = new long[r];
        for (int i = 0; i < r; i++) {
            long span = (block[i] - 1) * dilations[i] + 1;
            positions[i] = (image[i] + pads[i] + pads[i + r] - span) / strides[i] + 1;
            if (positions[i] < 1) throw ctx.fail("block does not fit image dim " + i);
        }
        long kernelVolume = Indexing.product(block);
        if (input.dim(1) % kernelVolume != 0 || input.dim(2) != Indexing.product(positions)) {
            throw ctx.fail("input " + input.type() + " does not match block " + Arrays.toString(block)
                    + " over " + Arrays.toString(positions) + " positions");
        }
        int channels = (int) (input.dim(1) / kernelVolume);
        Im2Col cols = new Im2Col(image, positions, block, strides, dilations, Arrays.copyOfRange(pads, 0, r));
        int batch = (int) input.dim(0);
        double[] col = input.toDoubles();
        double[] y = new double[Math.multiplyExact(batch * channels, cols.imageVolume())];
        int colBatch = (int) (input.dim(1) * input.dim(2));
        for (int n = 0; n < batch; n++) cols.scatter(col, n * colBatch, channels, y, n * channels * cols.imageVolume());
        long[] shape = new long[r + 2];
        shape[0] = batch;
        shape[1] = channels;
        System.arraycopy(image, 0, shape, 2, r);
        return List.of(NnTensors.of(input.dtype(), shape, y));
    }

    private static long[] dims(KernelContext ctx, String name, int n, long fallback) {
        long[] v = ctx.intsAttr(name);
        if (v == null || v.length == 0) {
            v = new long[n];
            Arrays.fill(v, fallback);
        }
        if (v.length != n) throw ctx.fail(name + " has " + v.length + " values, need " + n);
        return v;
    }
}
