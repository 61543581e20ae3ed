/**
 * Grouped convolution on the CPU backend ({@code group > 1}, NCHW float32): {@link
 * dev.kiln.backend.cpu.depthwise.GroupedConvFamily} binds depthwise convolutions (one input channel per group, any
 * channel multiplier) to a direct vector kernel and the rest to one GEMM per image and group. Depthwise 3×3 with one
 * column of side padding (MobileNet's layers) runs a kernel per shape: stride 1 vectorized over the flattened plane
 * (small planes copied between zero rows first), stride 2 over output rows read straight from the input, or, for rows
 * narrower than a vector, over the channel split into even and odd columns. Any other kernel size, stride, dilation or
 * padding goes through phase planes, a layout in which every tap is one contiguous run. Bias and Relu/Relu6/Clip stay
 * in registers; residuals and the other activations are applied by the GEMM's {@code FusedEpilogue} over each band of
 * output rows while it is in cache. docs/cpu-backend.md, "Depthwise convolution", says why the kernels look as they do.
 */
package dev.kiln.backend.cpu.depthwise;
