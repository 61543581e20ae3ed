package dev.kiln.backend.opencl.render;

/**
 * How consecutive layers pass tensors: through global buffers (every device), OpenCL 2.0 pipes (kernel
 * arguments, program built with {@code -cl-std=CL2.0}), or Intel FPGA channels ({@code cl_intel_channels},
 * program-scope FIFOs). {@link #PIPES_AS_FIFO} is for verification only: the very source {@link #PIPES} renders,
 * built with {@code -DKILN_PIPES_AS_FIFO} so each pipe is a global buffer as deep as the whole tensor — on an
 * in-order queue, where each producer finishes before its consumer starts, that checks the stream order and data,
 * not concurrency or deadlock-freedom under small depths.
 */
public enum Streaming {
    GLOBAL, PIPES, CHANNELS, PIPES_AS_FIFO;

    /** Channels where the device has them (Intel's FPGA SDK and emulator), else pipes, else global buffers. */
    public static Streaming forDevice(boolean intelChannels, boolean pipes) {
        return intelChannels ? CHANNELS : pipes ? PIPES : GLOBAL;
    }

    /** Whether layers stream to each other at all. */
    public boolean streams() { return this != GLOBAL; }

    /** Whether streamed kernels must run at the same time (a real FIFO of bounded depth between them). */
    public boolean concurrent() { return this == PIPES || this == CHANNELS; }

    /** Whether streams are kernel arguments (pipes, and their FIFO stand-in) rather than program-scope channels. */
    boolean streamsAreArguments() { return this == PIPES || this == PIPES_AS_FIFO; }

    /** The options the program is built with. */
    public String buildOptions() {
        return switch (this) {
            case PIPES -> "-cl-std=CL2.0";
            case PIPES_AS_FIFO -> "-cl-std=CL1.2 -DKILN_PIPES_AS_FIFO";
            default -> "-cl-std=CL1.2";
        };
    }
}
