package dev.kiln.backend.cpu.quant;

import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * QLinearAdd of two 8-bit tensors of one shape with per-tensor parameters, in the float32 arithmetic of the
 * reference kernel (which is the Q/DQ graph's): {@code a' = (a - za)·sa} and {@code b' = (b - zb)·sb} rounded to
 * float, {@code q = (a' + b') / sc} rounded to float, then {@code clamp(rint(q) + zc)}. Each of those float32
 * operations is correctly rounded in the vector lanes as in the scalar twin, so results are identical. Rounding half
 * to even adds and subtracts 1.5·2²³ (exact while |q| ≤ 2²²); q is first clamped to ±512, which saturation makes
 * harmless. One subclass per vector size, each with its species in static finals so that the JIT keeps the vectors
 * in registers (with a species read from a field, every vector op allocated): a block of bytes (at least 8) is
 * loaded at once and widened to float lanes in one or two parts.
 */
abstract class QLinearAddKernel {
    static final float ROUNDING = 12582912f; // 1.5 · 2^23
    static final float BOUND = 512f;

    /** The quantization of A, B and C and whether they are uint8 (one type for all three). */
    record Params(QuantConstants.PerTensor a, QuantConstants.PerTensor b, QuantConstants.PerTensor c, boolean unsigned) {
        int lo() { return unsigned ? 0 : -128; }

        int hi() { return unsigned ? 255 : 127; }
    }

    /** The kernel for float vectors of {@code species}' size (128, 256 or 512 bits). */
    static QLinearAddKernel of(VectorSpecies<Float> species) {
        return switch (species.vectorBitSize()) {
            case 512 -> new QLinearAddKernel512();
            case 256 -> new QLinearAddKernel256();
            case 128 -> new QLinearAddKernel128();
            default -> throw new IllegalArgumentException("no QLinearAdd kernel for " + species);
        };
    }

    /** {@code y[i] = add(a[i], b[i])} for {@code n} bytes at offset 0 of each segment. */
    final void run(MemorySegment a, MemorySegment b, MemorySegment y, int n, Params p) {
        int i = vectors(a, b, y, n, p);
        for (; i < n; i++) {
            y.set(ValueLayout.JAVA_BYTE, i, (byte) scalar(a.get(ValueLayout.JAVA_BYTE, i), b.get(ValueLayout.JAVA_BYTE, i), p));
        }
    }

    /** The whole blocks of bytes; returns where the scalar tail starts. */
    abstract int vectors(MemorySegment a, MemorySegment b, MemorySegment y, int n, Params p);

    /** One element: the scalar twin of the vector loops, and their tail. */
    static int scalar(byte a, byte b, Params p) {
        int ai = p.unsigned() ? a & 0xFF : a, bi = p.unsigned() ? b & 0xFF : b;
        float sum = (ai - p.a().zeroPoint()) * p.a().scale() + (bi - p.b().zeroPoint()) * p.b().scale();
        float q = sum / p.c().scale();
        return (int) Math.clamp(Math.rint(q) + p.c().zeroPoint(), p.lo(), p.hi());
    }
}
