package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.qgemm.ChannelValues;
import dev.kiln.backend.cpu.qgemm.Int32Store;
import dev.kiln.backend.cpu.qgemm.QuantEpilogue;
import dev.kiln.backend.cpu.qgemm.Requantize;
import dev.kiln.ir.DType;

import java.lang.foreign.MemorySegment;

/**
 * What a quantized product writes: int32 accumulators (MatMulInteger, ConvInteger) or requantized bytes
 * (QLinearMatMul, QLinearConv), and the epilogue that writes it into an output buffer.
 */
sealed interface OutputKind {
    DType dtype();

    /** The epilogue writing C (row {@code i} at element {@code offset + i·ldc}) into {@code out}. */
    QuantEpilogue epilogue(MemorySegment out, long offset, int ldc);

    /** {@code int32}, as accumulated. */
    record Accumulators() implements OutputKind {
        @Override
        public DType dtype() { return DType.I32; }

        @Override
        public QuantEpilogue epilogue(MemorySegment out, long offset, int ldc) { return new Int32Store(out, offset * Integer.BYTES, ldc); }
    }

    /** Requantized to {@code dtype} (int8 or uint8) with per-channel multipliers and an optional int32 bias. */
    record Requantized(DType dtype, ChannelValues multiplier, ChannelValues bias, int zeroPoint, int lo, int hi) implements OutputKind {
        @Override
        public QuantEpilogue epilogue(MemorySegment out, long offset, int ldc) {
            return new Requantize(out, offset, ldc, multiplier, bias, zeroPoint, lo, hi);
        }
    }
}
