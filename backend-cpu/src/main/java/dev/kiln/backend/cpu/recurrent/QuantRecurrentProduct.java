package dev.kiln.backend.cpu.recurrent;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The recurrent product of a dynamically quantized LSTM for one batch row and step: {@code acc = hq · R} in int32
 * ({@code hq} the quantized h minus its zero point, R {@code hidden × n} int8 widened to int32 minus its zero points,
 * row-major, so each h level scales one contiguous row), then {@code gates[j] += (float) acc[j] · scale[j]} with
 * {@code scale[j] = h_scale · r_scale[j]}. The int32 accumulators are vectors over j; {@link #scalar} is the twin.
 * The species is a static final, as in {@link LstmCell}: held in a field it is no JIT constant and vectors are boxed.
 */
final class QuantRecurrentProduct {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;

    private final int[] acc;

    QuantRecurrentProduct(int n) { this.acc = new int[n]; }

    /** {@code acc = hq[hOff, hOff + hidden) · r}, vectorized over the n columns with a scalar tail. */
    void multiply(int[] hq, int hOff, int hidden, int[] r, int n) {
        int lanes = SPECIES.length(), j = 0;
        for (; j + lanes <= n; j += lanes) {
            IntVector a = IntVector.zero(SPECIES);
            for (int k = 0; k < hidden; k++) a = IntVector.fromArray(SPECIES, r, k * n + j).mul(hq[hOff + k]).add(a);
            a.intoArray(acc, j);
        }
        for (; j < n; j++) {
            int a = 0;
            for (int k = 0; k < hidden; k++) a += hq[hOff + k] * r[k * n + j];
            acc[j] = a;
        }
    }

    /** The twin of {@link #multiply}, all scalar. */
    void scalar(int[] hq, int hOff, int hidden, int[] r, int n) {
        for (int j = 0; j < n; j++) {
            int a = 0;
            for (int k = 0; k < hidden; k++) a += hq[hOff + k] * r[k * n + j];
            acc[j] = a;
        }
    }

    /** {@code gates[gOff + j·4] += (float) acc[j] · (hScale · rScale[j])} for the n columns. */
    void addTo(MemorySegment gates, long gOff, float hScale, float[] rScale) {
        for (int j = 0; j < acc.length; j++) {
            long at = gOff + j * 4L;
            gates.set(F, at, gates.get(F, at) + (float) acc[j] * (hScale * rScale[j]));
        }
    }

    int[] acc() { return acc; }
}
