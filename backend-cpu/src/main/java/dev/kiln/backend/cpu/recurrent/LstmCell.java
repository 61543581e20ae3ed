package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.math.ScalarMath;
import dev.kiln.backend.cpu.math.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The per-time-step kernels of an LSTM whose input projection was done for the whole sequence by one GEMM: the
 * recurrent product {@code gates += h · Rᵀ} (Rᵀ stored {@code hidden × 4·hidden}, so each h value scales one
 * contiguous row) and the fused gate update (ONNX gate order i, o, f, c; σ, tanh, tanh):
 * {@code C = σ(f)·C + σ(i)·tanh(C̃)}, {@code h = σ(o)·tanh(C)}. Offsets are in bytes. The SPECIES is a static final:
 * held in an instance field it was not a constant where the JIT compiled these methods on their own, and every
 * vector was boxed on the heap (measured: 49 KB per inference on models/lstm). Each loop's scalar tail is its twin.
 */
final class LstmCell {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** {@code gates[0, n) += Σ_k h[k] · rt[k, 0..n)}, {@code rt} row-major {@code hidden × n}. */
    void recurrent(MemorySegment h, long hOffset, int hidden, MemorySegment rt, MemorySegment gates, long gOffset, int n) {
        int lanes = SPECIES.length();
        int j = 0;
        for (; j + 4 * lanes <= n; j += 4 * lanes) {
            long g = gOffset + (long) j * 4;
            FloatVector a0 = FloatVector.fromMemorySegment(SPECIES, gates, g, LE);
            FloatVector a1 = FloatVector.fromMemorySegment(SPECIES, gates, g + lanes * 4L, LE);
            FloatVector a2 = FloatVector.fromMemorySegment(SPECIES, gates, g + lanes * 8L, LE);
            FloatVector a3 = FloatVector.fromMemorySegment(SPECIES, gates, g + lanes * 12L, LE);
            for (int k = 0; k < hidden; k++) {
                FloatVector hk = FloatVector.broadcast(SPECIES, h.get(F, hOffset + k * 4L));
                long r = ((long) k * n + j) * 4;
                a0 = FloatVector.fromMemorySegment(SPECIES, rt, r, LE).fma(hk, a0);
                a1 = FloatVector.fromMemorySegment(SPECIES, rt, r + lanes * 4L, LE).fma(hk, a1);
                a2 = FloatVector.fromMemorySegment(SPECIES, rt, r + lanes * 8L, LE).fma(hk, a2);
                a3 = FloatVector.fromMemorySegment(SPECIES, rt, r + lanes * 12L, LE).fma(hk, a3);
            }
            a0.intoMemorySegment(gates, g, LE);
            a1.intoMemorySegment(gates, g + lanes * 4L, LE);
            a2.intoMemorySegment(gates, g + lanes * 8L, LE);
            a3.intoMemorySegment(gates, g + lanes * 12L, LE);
        }
        for (; j + lanes <= n; j += lanes) {
            long g = gOffset + (long) j * 4;
            FloatVector a = FloatVector.fromMemorySegment(SPECIES, gates, g, LE);
            for (int k = 0; k < hidden; k++) {
                a = FloatVector.fromMemorySegment(SPECIES, rt, ((long) k * n + j) * 4, LE).fma(FloatVector.broadcast(SPECIES, h.get(F, hOffset + k * 4L)), a);
            }
            a.intoMemorySegment(gates, g, LE);
        }
        for (; j < n; j++) {
            float a = gates.get(F, gOffset + j * 4L);
            for (int k = 0; k < hidden; k++) a = Math.fma(h.get(F, hOffset + k * 4L), rt.get(F, ((long) k * n + j) * 4), a);
            gates.set(F, gOffset + j * 4L, a);
        }
    }

    /**
     * Updates {@code c} in place and writes {@code h} from one batch row's 4·hidden gate pre-activations (overwritten).
     * One math function per loop: a loop that inlined all five would outgrow the JIT's inlining budget, and a vector
     * passed to a call that is not inlined is boxed on the heap.
     */
    void update(MemorySegment gates, long gOffset, int hidden, MemorySegment c, long cOffset, MemorySegment h, long hOffset) {
        long gate = hidden * 4L;
        sigmoid(gates, gOffset, 3 * hidden);
        tanh(gates, gOffset + 3 * gate, gates, gOffset + 3 * gate, hidden);
        int j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            long g = gOffset + j * 4L;
            FloatVector i = FloatVector.fromMemorySegment(SPECIES, gates, g, LE);
            FloatVector f = FloatVector.fromMemorySegment(SPECIES, gates, g + 2 * gate, LE);
            FloatVector candidate = FloatVector.fromMemorySegment(SPECIES, gates, g + 3 * gate, LE);
            f.mul(FloatVector.fromMemorySegment(SPECIES, c, cOffset + j * 4L, LE)).add(i.mul(candidate)).intoMemorySegment(c, cOffset + j * 4L, LE);
        }
        for (; j < hidden; j++) {
            long g = gOffset + j * 4L;
            c.set(F, cOffset + j * 4L, gates.get(F, g + 2 * gate) * c.get(F, cOffset + j * 4L) + gates.get(F, g) * gates.get(F, g + 3 * gate));
        }
        tanh(c, cOffset, h, hOffset, hidden);
        j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            FloatVector o = FloatVector.fromMemorySegment(SPECIES, gates, gOffset + gate + j * 4L, LE);
            o.mul(FloatVector.fromMemorySegment(SPECIES, h, hOffset + j * 4L, LE)).intoMemorySegment(h, hOffset + j * 4L, LE);
        }
        for (; j < hidden; j++) h.set(F, hOffset + j * 4L, gates.get(F, gOffset + gate + j * 4L) * h.get(F, hOffset + j * 4L));
    }

    /** σ in place over {@code n} floats. */
    private void sigmoid(MemorySegment s, long offset, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
            long at = offset + j * 4L;
            VectorMath.sigmoid(FloatVector.fromMemorySegment(SPECIES, s, at, LE)).intoMemorySegment(s, at, LE);
        }
        for (; j < n; j++) s.set(F, offset + j * 4L, ScalarMath.sigmoid(s.get(F, offset + j * 4L)));
    }

    /** {@code out = tanh(in)} over {@code n} floats (may be in place). */
    private void tanh(MemorySegment in, long inOffset, MemorySegment out, long outOffset, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += SPECIES.length()) {
            VectorMath.tanh(FloatVector.fromMemorySegment(SPECIES, in, inOffset + j * 4L, LE)).intoMemorySegment(out, outOffset + j * 4L, LE);
        }
        for (; j < n; j++) out.set(F, outOffset + j * 4L, ScalarMath.tanh(in.get(F, inOffset + j * 4L)));
    }
}
