package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.render.RenderOptions;

/**
 * The design a design-space exploration chose, its estimate, and in one line why (which architecture, what
 * stopped the search). {@link #renderOptions()} carries the chosen unroll factors into the rendered kernels.
 */
public record Exploration(FpgaDesign design, FpgaEstimate estimate, String decision) {
    /** The options that render this design's kernels with their {@code #pragma unroll} factors. */
    public RenderOptions renderOptions() { return design.renderOptions(); }
}
