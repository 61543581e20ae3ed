package dev.kiln.runtime.spi;

/**
 * How a backend runs one node of a compiled graph: {@code kernel} says what runs ({@code gemm convolution 64×576
 * (im2col)}), {@code generic} whether it is the backend's catch-all kernel rather than one made for the op — what
 * {@code kiln run --explain} prints and the support matrix counts.
 */
public record KernelChoice(String node, String op, String kernel, boolean generic) {}
