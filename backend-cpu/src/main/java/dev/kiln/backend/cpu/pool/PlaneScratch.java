package dev.kiln.backend.cpu.pool;

import java.util.Arrays;

/**
 * One worker's arrays for sliding pooling over a batch of planes, each with a vector of slack so every access can
 * be a whole vector: the batch's input planes; each output row's pooled input rows of the current plane,
 * {@code rowStride} apart, each framed by the identity ({@code padLeft} before it, the window's reach after); and
 * the batch's output planes.
 */
final class PlaneScratch {
    /** Input floats a batch gathers when planes are small: one copy in and out per batch, and the batch stays in L1. */
    static final int BATCH_FLOATS = 4096;

    /** Planes per batch. */
    final int batch;
    final float[] image;
    final float[] rows;
    final int rowStride;
    final float[] output;

    PlaneScratch(PoolWindow g, int h, int w, int outH, int outW, int lanes, float identity) {
        int perVector = Math.max(1, lanes / g.strideW());
        int reach = Math.ceilDiv(outW, perVector) * perVector * g.strideW() + (g.kW() - 1) * g.dilationW() + lanes;
        batch = Math.max(1, BATCH_FLOATS / (h * w));
        image = new float[batch * h * w + lanes];
        rowStride = Math.max(g.padLeft() + w + lanes, reach);
        rows = new float[outH * rowStride + lanes];
        Arrays.fill(rows, identity);
        output = new float[(batch * outH - 1) * outW + Math.ceilDiv(outW, perVector) * perVector + lanes];
    }
}
