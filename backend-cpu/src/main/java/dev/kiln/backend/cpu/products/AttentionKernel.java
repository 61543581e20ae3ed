package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.kernels.FloatLanes;
import dev.kiln.backend.cpu.kernels.SoftmaxKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scaled dot-product attention one query row at a time: {@code s = scale·(q·Kt) + mask}, {@code p = softmax(s)},
 * {@code out = p·V}. Only the row's {@code Sk} scores are materialized (in the caller's scratch). Both products run
 * along contiguous rows — the scores along Kt's rows ({@code Kt} is {@code D × Sk}), the output along V's
 * ({@code Sk × Dv}) — with up to four vector accumulators held in registers across the reduction, then one
 * accumulator, then a scalar tail. All offsets are in elements (floats), little-endian float32.
 */
final class AttentionKernel {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FloatLanes lanes;
    private final SoftmaxKernel softmax;

    /**
     * @param species        the vectors of the dot products, as narrow as short heads want
     * @param softmaxSpecies the vectors of the softmax: the model's own width, never narrowed, because the vector
     *                       math (exp) is shared with the model's other kernels, and a second width there would make
     *                       C2 compile it for both and box every vector it passes (a row shorter than a vector then
     *                       takes the scalar twin)
     */
    AttentionKernel(VectorSpecies<Float> species, VectorSpecies<Float> softmaxSpecies) {
        this.lanes = FloatLanes.of(species);
        this.softmax = new SoftmaxKernel(softmaxSpecies);
    }

    VectorSpecies<Float> species() { return lanes.species(); }

    /** The head's geometry: Q is {@code sq × d}, Kt {@code d × sk}, V {@code sk × dv}; the mask row has {@code maskColumnStride} 0 or 1. */
    record Shape(int d, int sk, int dv, float scale, long maskColumnStride) {}

    /**
     * One query row: reads Q's row at {@code q[qRow]}, the head's Kt at {@code kt[ktOff]} and V at {@code v[vOff]},
     * the mask row at {@code mask[maskRow]} (mask may be null), writes the output row at {@code out[outRow]};
     * {@code scores} holds at least {@code sk} floats.
     */
    void row(Shape h, MemorySegment q, long qRow, MemorySegment kt, long ktOff, MemorySegment v, long vOff,
             MemorySegment mask, long maskRow, MemorySegment out, long outRow, MemorySegment scores) {
        scores(h, q, qRow, kt, ktOff, scores);
        if (mask != null) addMask(h, mask, maskRow, scores);
        softmax.softmax(scores, 0, scores, 0, 1, h.sk());
        weightedSum(h, scores, v, vOff, out, outRow);
    }

    /** scores[j] = scale · Σ_p q[p]·Kt[p, j]. */
    private void scores(Shape h, MemorySegment q, long qRow, MemorySegment kt, long ktOff, MemorySegment scores) {
        VectorSpecies<Float> species = lanes.species();
        int lanesN = species.length(), d = h.d(), sk = h.sk();
        float scale = h.scale();
        int j = 0;
        for (; j + 4 * lanesN <= sk; j += 4 * lanesN) {
            FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < d; p++) {
                FloatVector qp = FloatVector.broadcast(species, q.getAtIndex(FLOAT, qRow + p));
                long at = (ktOff + (long) p * sk + j) * Float.BYTES;
                a0 = FloatVector.fromMemorySegment(species, kt, at, LE).fma(qp, a0);
                a1 = FloatVector.fromMemorySegment(species, kt, at + 4L * lanesN, LE).fma(qp, a1);
                a2 = FloatVector.fromMemorySegment(species, kt, at + 8L * lanesN, LE).fma(qp, a2);
                a3 = FloatVector.fromMemorySegment(species, kt, at + 12L * lanesN, LE).fma(qp, a3);
            }
            long to = (long) j * Float.BYTES;
            a0.mul(scale).intoMemorySegment(scores, to, LE);
            a1.mul(scale).intoMemorySegment(scores, to + 4L * lanesN, LE);
            a2.mul(scale).intoMemorySegment(scores, to + 8L * lanesN, LE);
            a3.mul(scale).intoMemorySegment(scores, to + 12L * lanesN, LE);
        }
        for (; j + lanesN <= sk; j += lanesN) {
            FloatVector a0 = FloatVector.zero(species);
            for (int p = 0; p < d; p++) {
                FloatVector qp = FloatVector.broadcast(species, q.getAtIndex(FLOAT, qRow + p));
                a0 = FloatVector.fromMemorySegment(species, kt, (ktOff + (long) p * sk + j) * Float.BYTES, LE).fma(qp, a0);
            }
            a0.mul(scale).intoMemorySegment(scores, (long) j * Float.BYTES, LE);
        }
        for (; j < sk; j++) {
            float acc = 0f;
            for (int p = 0; p < d; p++) acc = Math.fma(q.getAtIndex(FLOAT, qRow + p), kt.getAtIndex(FLOAT, ktOff + (long) p * sk + j), acc);
            scores.setAtIndex(FLOAT, j, acc * scale);
        }
    }

    private void addMask(Shape h, MemorySegment mask, long maskRow, MemorySegment scores) {
        VectorSpecies<Float> species = lanes.species();
        int sk = h.sk(), j = 0;
        if (h.maskColumnStride() == 0) {
            float m = mask.getAtIndex(FLOAT, maskRow);
            for (; j < species.loopBound(sk); j += species.length()) {
                long at = (long) j * Float.BYTES;
                FloatVector.fromMemorySegment(species, scores, at, LE).add(m).intoMemorySegment(scores, at, LE);
            }
            for (; j < sk; j++) scores.setAtIndex(FLOAT, j, scores.getAtIndex(FLOAT, j) + m);
            return;
        }
        for (; j < species.loopBound(sk); j += species.length()) {
            long at = (long) j * Float.BYTES;
            FloatVector.fromMemorySegment(species, scores, at, LE)
                    .add(FloatVector.fromMemorySegment(species, mask, (maskRow + j) * Float.BYTES, LE))
                    .intoMemorySegment(scores, at, LE);
        }
        for (; j < sk; j++) scores.setAtIndex(FLOAT, j, scores.getAtIndex(FLOAT, j) + mask.getAtIndex(FLOAT, maskRow + j));
    }

    /** out[c] = Σ_j p[j]·V[j, c]. */
    private void weightedSum(Shape h, MemorySegment p, MemorySegment v, long vOff, MemorySegment out, long outRow) {
        VectorSpecies<Float> species = lanes.species();
        int lanesN = species.length(), sk = h.sk(), dv = h.dv();
        int c = 0;
        for (; c + 4 * lanesN <= dv; c += 4 * lanesN) {
            FloatVector a0 = FloatVector.zero(species), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < sk; j++) {
                FloatVector pj = FloatVector.broadcast(species, p.getAtIndex(FLOAT, j));
                long at = (vOff + (long) j * dv + c) * Float.BYTES;
                a0 = FloatVector.fromMemorySegment(species, v, at, LE).fma(pj, a0);
                a1 = FloatVector.fromMemorySegment(species, v, at + 4L * lanesN, LE).fma(pj, a1);
                a2 = FloatVector.fromMemorySegment(species, v, at + 8L * lanesN, LE).fma(pj, a2);
                a3 = FloatVector.fromMemorySegment(species, v, at + 12L * lanesN, LE).fma(pj, a3);
            }
            long to = (outRow + c) * Float.BYTES;
            a0.intoMemorySegment(out, to, LE);
            a1.intoMemorySegment(out, to + 4L * lanesN, LE);
            a2.intoMemorySegment(out, to + 8L * lanesN, LE);
            a3.intoMemorySegment(out, to + 12L * lanesN, LE);
        }
        for (; c + lanesN <= dv; c += lanesN) {
            FloatVector a0 = FloatVector.zero(species);
            for (int j = 0; j < sk; j++) {
                FloatVector pj = FloatVector.broadcast(species, p.getAtIndex(FLOAT, j));
                a0 = FloatVector.fromMemorySegment(species, v, (vOff + (long) j * dv + c) * Float.BYTES, LE).fma(pj, a0);
            }
            a0.intoMemorySegment(out, (outRow + c) * Float.BYTES, LE);
        }
        for (; c < dv; c++) {
            float acc = 0f;
            for (int j = 0; j < sk; j++) acc = Math.fma(p.getAtIndex(FLOAT, j), v.getAtIndex(FLOAT, vOff + (long) j * dv + c), acc);
            out.setAtIndex(FLOAT, outRow + c, acc);
        }
    }
}
