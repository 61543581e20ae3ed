package dev.kiln.backend.opencl.render;

import java.util.Map;

/**
 * The choices a kernel leaves open for the hardware: the {@code #pragma unroll} factor of each layer's innermost
 * loop and how much on-chip ({@code __local}) memory a layer may fill with its weights. Today a default rule picks
 * them; a design-space exploration over an FPGA part's resources will set {@code unrollByNode} per layer.
 */
public record RenderOptions(int maxUnroll, long localBytesPerLayer, Map<String, Integer> unrollByNode) {
    public RenderOptions {
        if (maxUnroll < 1) throw new IllegalArgumentException("unroll factor must be positive, got " + maxUnroll);
        unrollByNode = Map.copyOf(unrollByNode);
    }

    /** Unrolls up to 8 (a typical FPGA vector width) and keeps up to 32 KiB of weights on chip per layer. */
    public static RenderOptions defaults(long deviceLocalBytes) {
        return new RenderOptions(8, Math.min(deviceLocalBytes / 2, 32 * 1024), Map.of());
    }

    /**
     * The unroll factor of {@code node}'s loop of {@code trips} iterations: the per-node choice if there is one,
     * else the largest factor up to {@link #maxUnroll} that divides the trip count, so the unrolled loop has no
     * remainder iterations (which an FPGA would build as extra hardware).
     */
    public int unroll(String node, long trips) {
        Integer chosen = unrollByNode.get(node);
        if (chosen != null) return chosen;
        for (int f = (int) Math.min(maxUnroll, Math.max(trips, 1)); f > 1; f--) {
            if (trips % f == 0) return f;
        }
        return 1;
    }

    /** Whether {@code elements} floats of weights fit this layer's share of on-chip memory. */
    public boolean fitsOnChip(long elements) { return elements > 0 && elements * Float.BYTES <= localBytesPerLayer; }
}
