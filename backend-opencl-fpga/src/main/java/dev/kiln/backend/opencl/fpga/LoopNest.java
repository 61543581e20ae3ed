package dev.kiln.backend.opencl.fpga;

/**
 * One layer's work as the hardware sees it: a pipelined loop nest whose innermost loop of {@code inner} trips is
 * unrolled into parallel lanes and runs {@code outer} times. {@code arithmeticPerTrip} counts the DSP-mapped
 * operations of one trip (a multiply-add is one; an elementwise body counts its arithmetic nodes).
 * {@code weightElements} are the constant operands (kept on chip when they fit), {@code streamedElements} the
 * run-time inputs and {@code outputElements} the result. For multiply-accumulate layers {@code mac} carries the
 * convolution shape a time-shared engine tiles (null for the others); {@code lineBufferElements} is the input a
 * streaming kernel keeps on chip to reuse it (kernel rows of a convolution, a pooling window's rows).
 */
public record LoopNest(String node, String op, long outer, long inner, double arithmeticPerTrip,
                       long weightElements, long streamedElements, long outputElements, long lineBufferElements,
                       MacShape mac) {

    /**
     * A multiply-accumulate layer as {@code images} x {@code groups} x {@code outPerGroup} outputs at
     * {@code positions} places, each summing {@code taps} x {@code inPerGroup} products (a GEMM is one group,
     * one tap, its rows as positions).
     */
    public record MacShape(long images, long positions, long groups, long outPerGroup, long inPerGroup, long taps) {
        /** Multiply-adds of the layer. */
        public long macs() { return images * positions * groups * outPerGroup * inPerGroup * taps; }
    }

    public boolean isMac() { return mac != null; }

    /** Pipeline trips of the unrolled loop at {@code lanes} lanes (remainder trips still take a full trip). */
    public long trips(int lanes) { return outer * ceilDiv(inner, lanes); }

    static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
