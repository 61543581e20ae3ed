package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.math.ScalarMath;
import dev.kiln.backend.cpu.math.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The fused gate update of a GRU with linear_before_reset (ONNX gate order z, r, h; σ, tanh) for one batch row and
 * step, from the input projection {@code gates} ({@code x·W + Wb}, plus Rb for z and r) and the recurrent projection
 * {@code rec} ({@code h·R}, both overwritten): {@code z, r = σ(gates + rec)}, {@code n = tanh(gates_h + r ⊙ (rec_h +
 * Rb_h))}, {@code h = (1 − z) ⊙ n + z ⊙ h}. Offsets in bytes; one math function per loop, as in {@link LstmCell}
 * (a loop inlining several outgrows the JIT's budget and boxes its vectors). Each loop's scalar tail is its twin.
 */
final class GruCell {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private GruCell() {}

    static void update(MemorySegment gates, long gOffset, MemorySegment rec, int hidden, float[] recurrentBiasH,
                       MemorySegment h, long hOffset) {
        resetAndUpdateGates(gates, gOffset, rec, hidden);
        candidate(gates, gOffset, rec, hidden, recurrentBiasH);
        blend(rec, hidden, h, hOffset);
    }

    /** z, r = σ(gates + rec), into rec. A method of its own, as each step below: one math function per compiled unit. */
    private static void resetAndUpdateGates(MemorySegment gates, long gOffset, MemorySegment rec, int hidden) {
        int j = 0;
        for (int bound = SPECIES.loopBound(2 * hidden); j < bound; j += SPECIES.length()) {
            FloatVector sum = FloatVector.fromMemorySegment(SPECIES, gates, gOffset + j * 4L, LE).add(FloatVector.fromMemorySegment(SPECIES, rec, j * 4L, LE));
            VectorMath.sigmoid(sum).intoMemorySegment(rec, j * 4L, LE);
        }
        for (; j < 2 * hidden; j++) rec.set(F, j * 4L, ScalarMath.sigmoid(gates.get(F, gOffset + j * 4L) + rec.get(F, j * 4L)));
    }

    /** n = tanh(gates_h + r ⊙ (rec_h + Rb_h)), into rec's third part. */
    private static void candidate(MemorySegment gates, long gOffset, MemorySegment rec, int hidden, float[] recurrentBiasH) {
        long gate = hidden * 4L;
        int j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            FloatVector r = FloatVector.fromMemorySegment(SPECIES, rec, gate + j * 4L, LE);
            FloatVector recurrent = FloatVector.fromMemorySegment(SPECIES, rec, 2 * gate + j * 4L, LE).add(FloatVector.fromArray(SPECIES, recurrentBiasH, j));
            FloatVector pre = FloatVector.fromMemorySegment(SPECIES, gates, gOffset + 2 * gate + j * 4L, LE).add(r.mul(recurrent));
            VectorMath.tanh(pre).intoMemorySegment(rec, 2 * gate + j * 4L, LE);
        }
        for (; j < hidden; j++) {
            float pre = gates.get(F, gOffset + 2 * gate + j * 4L) + rec.get(F, gate + j * 4L) * (rec.get(F, 2 * gate + j * 4L) + recurrentBiasH[j]);
            rec.set(F, 2 * gate + j * 4L, ScalarMath.tanh(pre));
        }
    }

    /** h = (1 − z) ⊙ n + z ⊙ h. */
    private static void blend(MemorySegment rec, int hidden, MemorySegment h, long hOffset) {
        long gate = hidden * 4L;
        int j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            FloatVector z = FloatVector.fromMemorySegment(SPECIES, rec, j * 4L, LE);
            FloatVector n = FloatVector.fromMemorySegment(SPECIES, rec, 2 * gate + j * 4L, LE);
            FloatVector old = FloatVector.fromMemorySegment(SPECIES, h, hOffset + j * 4L, LE);
            z.neg().add(1f).mul(n).add(z.mul(old)).intoMemorySegment(h, hOffset + j * 4L, LE);
        }
        for (; j < hidden; j++) {
            float z = rec.get(F, j * 4L);
            h.set(F, hOffset + j * 4L, (1 - z) * rec.get(F, 2 * gate + j * 4L) + z * h.get(F, hOffset + j * 4L));
        }
    }
}
