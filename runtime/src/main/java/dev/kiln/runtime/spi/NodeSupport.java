package dev.kiln.runtime.spi;

/** Whether a backend runs a node, and why not when it does not. */
public record NodeSupport(boolean supported, String reason) {
    public static final NodeSupport YES = new NodeSupport(true, null);

    public static NodeSupport no(String reason) { return new NodeSupport(false, reason); }
}
