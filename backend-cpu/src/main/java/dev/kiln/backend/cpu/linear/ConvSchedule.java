package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.TileEpilogue;
import dev.kiln.backend.cpu.plan.Frame;

import java.lang.foreign.MemorySegment;

/**
 * How one runner computes one convolution shape, made once per input shape and scratch buffer: the implicit-im2col
 * GEMM ({@link ConvPlan}) or, at unit stride, the sum of shifted-tap GEMMs ({@link TapConvPlan}).
 */
sealed interface ConvSchedule permits ConvPlan, TapConvPlan {
    /** Whether this schedule still fits {@code frame} and {@code geometry}: the same GEMM and scratch buffers. */
    boolean fits(Frame frame, ConvGeometry geometry);

    /** Convolves the image at byte {@code xOffset} of {@code x} into C at byte {@code yOffset} of {@code y} ({@code outC × P}). */
    void run(Frame frame, MemorySegment x, long xOffset, MemorySegment y, long yOffset, TileEpilogue epilogue);
}
