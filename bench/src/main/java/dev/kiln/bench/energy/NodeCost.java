package dev.kiln.bench.energy;

/**
 * The work of one node of a compiled graph for one inference: {@code operations} arithmetic operations (a
 * multiply-add is 2), on 8-bit integers when {@code int8} (quantized ops) else counted as FP32 FLOPs; bytes of its
 * inputs read (each distinct input once, {@code weightBytes} of them graph constants) and of its outputs written.
 */
public record NodeCost(String node, String op, long operations, boolean int8, long bytesRead, long bytesWritten,
                       long weightBytes) {

    /** Bytes of the node's non-constant inputs and its outputs: the traffic that depends on the data flowing. */
    public long activationBytes() { return bytesRead - weightBytes + bytesWritten; }
}
