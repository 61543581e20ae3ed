package dev.kiln.backend.cpu.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * QLinearAdd of two 8-bit tensors of one shape with per-tensor parameters, in the float32 arithmetic of the
 * reference kernel (which is the Q/DQ graph's): {@code a' = (a - za)·sa} and {@code b' = (b - zb)·sb} rounded to
 * float, {@code q = (a' + b') / sc} rounded to float, then {@code clamp(rint(q) + zc)}. Each of those float32
 * operations is correctly rounded in the vector lanes as in the scalar twin, so results are identical. Rounding half
 * to even adds and subtracts 1.5·2²³ (exact while |q| ≤ 2²²); q is first clamped to ±512, which saturation makes
 * harmless. A block of bytes (at least 8) is loaded at once and widened to float lanes in one or more parts.
 */
final class QLinearAddKernel {
    private static final float ROUNDING = 12582912f; // 1.5 · 2^23
    private static final float BOUND = 512f;

    /** The quantization of A, B and C and whether they are uint8 (one type for all three). */
    record Params(QuantConstants.PerTensor a, QuantConstants.PerTensor b, QuantConstants.PerTensor c, boolean unsigned) {
        int lo() { return unsigned ? 0 : -128; }

        int hi() { return unsigned ? 255 : 127; }
    }

    private final VectorSpecies<Float> floats;
    private final VectorSpecies<Integer> ints;
    private final VectorSpecies<Byte> bytes;
    private final int parts;

    QLinearAddKernel(VectorSpecies<Float> floats) {
        this.floats = floats;
        this.ints = VectorSpecies.of(int.class, floats.vectorShape());
        this.bytes = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, floats.length() * 8)));
        this.parts = bytes.length() / floats.length();
    }

    /** {@code y[i] = add(a[i], b[i])} for {@code n} bytes at offset 0 of each segment. */
    void run(MemorySegment a, MemorySegment b, MemorySegment y, int n, Params p) {
        int i = 0;
        for (; i <= n - bytes.length(); i += bytes.length()) {
            ByteVector va = ByteVector.fromMemorySegment(bytes, a, i, ByteOrder.LITTLE_ENDIAN);
            ByteVector vb = ByteVector.fromMemorySegment(bytes, b, i, ByteOrder.LITTLE_ENDIAN);
            ByteVector out = ByteVector.zero(bytes);
            for (int part = 0; part < parts; part++) {
                FloatVector sum = dequantize(va, part, p.a(), p.unsigned()).add(dequantize(vb, part, p.b(), p.unsigned()));
                FloatVector q = sum.div(p.c().scale()).max(-BOUND).min(BOUND).add(ROUNDING).sub(ROUNDING);
                IntVector v = ((IntVector) q.convertShape(VectorOperators.F2I, ints, 0)).add(p.c().zeroPoint()).max(p.lo()).min(p.hi());
                out = out.or((ByteVector) v.convertShape(VectorOperators.I2B, bytes, -part));
            }
            out.intoMemorySegment(y, i, ByteOrder.LITTLE_ENDIAN);
        }
        for (; i < n; i++) {
            y.set(ValueLayout.JAVA_BYTE, i, (byte) scalar(a.get(ValueLayout.JAVA_BYTE, i), b.get(ValueLayout.JAVA_BYTE, i), p));
        }
    }

    private FloatVector dequantize(ByteVector x, int part, QuantConstants.PerTensor q, boolean unsigned) {
        IntVector wide = (IntVector) x.convertShape(VectorOperators.B2I, ints, part);
        if (unsigned) wide = wide.and(0xFF);
        return ((FloatVector) wide.sub(q.zeroPoint()).convertShape(VectorOperators.I2F, floats, 0)).mul(q.scale());
    }

    /** One element: the scalar twin of the vector loop, and its tail. */
    static int scalar(byte a, byte b, Params p) {
        int ai = p.unsigned() ? a & 0xFF : a, bi = p.unsigned() ? b & 0xFF : b;
        float sum = (ai - p.a().zeroPoint()) * p.a().scale() + (bi - p.b().zeroPoint()) * p.b().scale();
        float q = sum / p.c().scale();
        return (int) Math.clamp(Math.rint(q) + p.c().zeroPoint(), p.lo(), p.hi());
    }
}
