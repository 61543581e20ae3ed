/**
 * Grouped convolution on the CPU backend ({@code group > 1}, NCHW float32): {@link
 * dev.kiln.backend.cpu.depthwise.GroupedConvFamily} binds depthwise convolutions (one input channel per group, any
 * channel multiplier) to a direct vector kernel and the rest to one GEMM per image and group. Depthwise 3×3 at stride
 * 1 or 2 with one column of side padding (MobileNet's layers) reads input rows straight into output rows; any other
 * kernel size, stride, dilation or padding goes through phase planes, a layout in which every tap is one contiguous
 * run. Bias and Relu/Relu6/Clip stay in registers; residuals and the other activations are applied by the GEMM's
 * {@code FusedEpilogue} over each band of output rows while it is in cache.
 */
package dev.kiln.backend.cpu.depthwise;
