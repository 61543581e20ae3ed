package dev.kiln.runtime;

/**
 * How to compile a model. {@code device} is a backend name, or null to pick the fastest available backend that
 * runs the whole model; {@code threads} 0 means "as many as there are cores".
 */
public record CompileOptions(String device, int threads) {
    public static CompileOptions defaults() { return new CompileOptions(null, 0); }

    public CompileOptions withDevice(String newDevice) { return new CompileOptions(newDevice, threads); }

    public CompileOptions withThreads(int newThreads) { return new CompileOptions(device, newThreads); }
}
