package dev.kiln.backend.cpu.recurrent;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The recurrent product of a dynamically quantized LSTM for one batch row and step: {@code acc = hq · R} in int32
 * ({@code hq} the quantized h minus its zero point, R {@code hidden × n} int8 widened to int32 minus its zero points,
 * row-major, so each h level scales one contiguous row), then {@code gates[j] += (float) acc[j] · scale[j]} with
 * {@code scale[j] = h_scale · r_scale[j]}. Offsets into gates are in bytes. {@link #scalar} is the twin.
 * The species is a static final, as in {@link LstmCell}: held in a field it is no JIT constant and vectors are boxed.
 */
final class QuantRecurrentProduct {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private QuantRecurrentProduct() {}

    /**
     * {@code gates[gOff + j·4] += (float) (hq[hOff, hOff + hidden) · r)[j] · (hScale · rScale[j])} for the n
     * columns: int32 accumulators over j, converted and scaled in the same vector, with a scalar tail; the float
     * operations are the scalar twin's, one rounding each, so the two agree to the bit.
     */
    static void multiplyAdd(int[] hq, int hOff, int hidden, int[] r, MemorySegment gates, long gOff, float hScale, float[] rScale) {
        int n = rScale.length, lanes = SPECIES.length(), j = 0;
        for (; j + lanes <= n; j += lanes) {
            IntVector a = IntVector.zero(SPECIES);
            for (int k = 0; k < hidden; k++) a = IntVector.fromArray(SPECIES, r, k * n + j).mul(hq[hOff + k]).add(a);
            FloatVector scale = FloatVector.fromArray(FLOATS, rScale, j).mul(hScale);
            long at = gOff + j * 4L;
            FloatVector product = ((FloatVector) a.convert(VectorOperators.I2F, 0)).mul(scale);
            FloatVector.fromMemorySegment(FLOATS, gates, at, LE).add(product).intoMemorySegment(gates, at, LE);
        }
        for (; j < n; j++) {
            int a = 0;
            for (int k = 0; k < hidden; k++) a += hq[hOff + k] * r[k * n + j];
            long at = gOff + j * 4L;
            gates.set(F, at, gates.get(F, at) + (float) a * (hScale * rScale[j]));
        }
    }

    /** The twin of {@link #multiplyAdd}, all scalar. */
    static void scalar(int[] hq, int hOff, int hidden, int[] r, MemorySegment gates, long gOff, float hScale, float[] rScale) {
        int n = rScale.length;
        for (int j = 0; j < n; j++) {
            int a = 0;
            for (int k = 0; k < hidden; k++) a += hq[hOff + k] * r[k * n + j];
            long at = gOff + j * 4L;
            gates.set(F, at, gates.get(F, at) + (float) a * (hScale * rScale[j]));
        }
    }
}
