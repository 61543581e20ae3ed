package dev.kiln.backend.opencl.render;

import java.util.Map;

/**
 * The choices a kernel leaves open for the hardware: the {@code #pragma unroll} factor of each layer's innermost
 * loop, how much on-chip ({@code __local}) memory a layer may fill (weights, line buffers, streamed tensors it
 * must hold whole), how layers pass tensors ({@link Streaming}) and how deep a stream's FIFO is. Today a default
 * rule picks them; a design-space exploration over an FPGA part's resources will set {@code unrollByNode} per layer.
 */
public record RenderOptions(int maxUnroll, long localBytesPerLayer, Map<String, Integer> unrollByNode,
                            Streaming streaming, int streamDepth) {
    /**
     * 64 floats: a judgement — enough to decouple a producer's pipeline from its consumer's, small enough for one
     * block RAM. AMD's pipes take a power of two from 16 to 32768 (UG1393 2021.2, "xcl_reqd_pipe_depth",
     * https://docs.amd.com/r/2021.2-English/ug1393-vitis-application-acceleration/xcl_reqd_pipe_depth); 64 is one.
     */
    public static final int DEFAULT_STREAM_DEPTH = 64;

    public RenderOptions {
        if (maxUnroll < 1) throw new IllegalArgumentException("unroll factor must be positive, got " + maxUnroll);
        if (streamDepth < 1) throw new IllegalArgumentException("stream depth must be positive, got " + streamDepth);
        unrollByNode = Map.copyOf(unrollByNode);
        java.util.Objects.requireNonNull(streaming, "streaming");
    }

    /** Layers passing tensors through global buffers. */
    public RenderOptions(int maxUnroll, long localBytesPerLayer, Map<String, Integer> unrollByNode) {
        this(maxUnroll, localBytesPerLayer, unrollByNode, Streaming.GLOBAL, DEFAULT_STREAM_DEPTH);
    }

    /** Unrolls up to 8 (a typical FPGA vector width), keeps up to 32 KiB on chip per layer, global buffers between layers. */
    public static RenderOptions defaults(long deviceLocalBytes) {
        return new RenderOptions(8, Math.min(deviceLocalBytes / 2, 32 * 1024), Map.of());
    }

    /** These options with layers passing tensors as {@code mode} says. */
    public RenderOptions withStreaming(Streaming mode) {
        return new RenderOptions(maxUnroll, localBytesPerLayer, unrollByNode, mode, streamDepth);
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

    /** Whether {@code elements} floats fit this layer's share of on-chip memory. */
    public boolean fitsOnChip(long elements) { return fitsOnChip(elements, 0); }

    /** Whether {@code elements} more floats fit this layer's share when {@code usedBytes} of it are taken. */
    public boolean fitsOnChip(long elements, long usedBytes) {
        return elements > 0 && elements * Float.BYTES <= localBytesPerLayer - usedBytes;
    }
}
