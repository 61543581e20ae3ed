package dev.kiln.backend.opencl.fpga;

/** What the design-space exploration optimizes: inferences per second (default) or the latency of one inference. */
public enum Objective {
    THROUGHPUT, LATENCY;

    /** The objective for a command-line name ({@code throughput} or {@code latency}). */
    public static Objective named(String name) {
        for (Objective o : values()) {
            if (o.name().equalsIgnoreCase(name)) return o;
        }
        throw new IllegalArgumentException("unknown objective '" + name + "' (known: throughput, latency)");
    }

    /** Whether {@code a} is better than {@code b} under this objective. */
    boolean better(FpgaEstimate a, FpgaEstimate b) {
        return this == THROUGHPUT ? a.throughputPerSecond() > b.throughputPerSecond() : a.latencySeconds() < b.latencySeconds();
    }
}
