package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.render.RenderOptions;

import java.util.Map;

/**
 * The hardware a model is built as on a part, which the estimator prices and the design-space exploration picks.
 *
 * <p>{@link Architecture#DEDICATED}: what Kiln renders — one kernel per layer, so each layer gets its own hardware:
 * {@code unrollByNode} lanes on its innermost loop (absent nodes take {@link RenderOptions}' default rule) and its
 * weights in on-chip memory when they fit {@code localBytesPerLayer}, exactly as the renderers decide.
 *
 * <p>{@link Architecture#SHARED_ENGINE}: one convolution/GEMM engine of {@code vector} x {@code lanes}
 * multiply-adds (PipeCNN's VEC_SIZE x CU_NUM), time-shared by every multiply-accumulate layer, beside one pooling
 * and elementwise unit of {@code lanes} lanes; the fallback when a model's dedicated hardware does not fit.
 * Fully connected layers reuse each weight across {@code batch} images.
 */
public record FpgaDesign(Architecture architecture, FpgaDataType dtype, double clockHz, Map<String, Integer> unrollByNode,
                         long localBytesPerLayer, int vector, int lanes, int batch) {

    /** How the layers map onto hardware. */
    public enum Architecture { DEDICATED, SHARED_ENGINE }

    public FpgaDesign {
        unrollByNode = Map.copyOf(unrollByNode);
        if (clockHz <= 0) throw new IllegalArgumentException("FPGA design clock must be positive, got " + clockHz);
        if (vector < 1 || lanes < 1 || batch < 1) throw new IllegalArgumentException("vector, lanes and batch must be >= 1");
        for (var e : unrollByNode.entrySet()) {
            if (e.getValue() < 1) throw new IllegalArgumentException("unroll factor of node '" + e.getKey() + "' must be >= 1, got " + e.getValue());
        }
    }

    /** Dedicated per-layer hardware with the given unroll factors and on-chip weight budget per layer. */
    public static FpgaDesign dedicated(FpgaDataType dtype, double clockHz, Map<String, Integer> unrollByNode, long localBytesPerLayer) {
        return new FpgaDesign(Architecture.DEDICATED, dtype, clockHz, unrollByNode, localBytesPerLayer, 1, 1, 1);
    }

    /** A time-shared engine of {@code vector} x {@code lanes} multiply-adds, fully connected layers batched by {@code batch}. */
    public static FpgaDesign sharedEngine(FpgaDataType dtype, double clockHz, int vector, int lanes, int batch) {
        return new FpgaDesign(Architecture.SHARED_ENGINE, dtype, clockHz, Map.of(), 0, vector, lanes, batch);
    }

    /**
     * The render options that build this design's kernels: the chosen unroll factors and on-chip budget. Kiln renders
     * one kernel per layer only, so a shared-engine design renders as dedicated kernels unrolled by its vector width.
     */
    public RenderOptions renderOptions() {
        return new RenderOptions(architecture == Architecture.DEDICATED ? 8 : vector, localBytesPerLayer, unrollByNode);
    }

    /** The lanes of a dedicated layer's unrolled loop of {@code trips}, as the renderer picks them. */
    int lanesOf(String node, long trips) { return renderOptions().unroll(node, trips); }
}
