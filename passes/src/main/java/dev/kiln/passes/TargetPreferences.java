package dev.kiln.passes;

import java.util.Set;

/**
 * What the target backend wants from the passes: its preferred tensor layout and which fused ops it executes
 * (a fusion a backend cannot run is not made).
 */
public record TargetPreferences(Layout layout, Set<String> fusedOps) {
    /** Tensor layouts a backend may prefer for 4-D activations. */
    public enum Layout { NCHW, NHWC, NCHW_BLOCKED }

    /** The reference backend: NCHW, and every fused op (it has a kernel for each). */
    public static TargetPreferences reference() { return new TargetPreferences(Layout.NCHW, Set.of("*")); }

    public boolean canExecute(String fusedOp) { return fusedOps.contains("*") || fusedOps.contains(fusedOp); }
}
