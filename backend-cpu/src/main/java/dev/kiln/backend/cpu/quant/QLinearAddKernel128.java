package dev.kiln.backend.cpu.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link QLinearAddKernel} on 128-bit float lanes: 8 bytes per block, two parts of 4 lanes, narrowed back into their halves of the block. Written out without helper
 * methods so that no vector escapes to the heap.
 */
final class QLinearAddKernel128 extends QLinearAddKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    @Override
    int vectors(MemorySegment a, MemorySegment b, MemorySegment y, int n, Params p) {
        float sa = p.a().scale(), sb = p.b().scale(), sc = p.c().scale();
        int za = p.a().zeroPoint(), zb = p.b().zeroPoint(), zc = p.c().zeroPoint(), lo = p.lo(), hi = p.hi(), mask = p.unsigned() ? 0xFF : -1;
        int i = 0;
        for (; i <= n - B.length(); i += B.length()) {
            ByteVector va = ByteVector.fromMemorySegment(B, a, i, ByteOrder.LITTLE_ENDIAN);
            ByteVector vb = ByteVector.fromMemorySegment(B, b, i, ByteOrder.LITTLE_ENDIAN);
            FloatVector a0 = ((FloatVector) ((IntVector) va.convertShape(VectorOperators.B2I, I, 0)).and(mask).sub(za)
                    .convertShape(VectorOperators.I2F, F, 0)).mul(sa);
            FloatVector b0 = ((FloatVector) ((IntVector) vb.convertShape(VectorOperators.B2I, I, 0)).and(mask).sub(zb)
                    .convertShape(VectorOperators.I2F, F, 0)).mul(sb);
            FloatVector q0 = a0.add(b0).div(sc).max(-BOUND).min(BOUND).add(ROUNDING).sub(ROUNDING);
            IntVector v0 = ((IntVector) q0.convertShape(VectorOperators.F2I, I, 0)).add(zc).max(lo).min(hi);
            FloatVector a1 = ((FloatVector) ((IntVector) va.convertShape(VectorOperators.B2I, I, 1)).and(mask).sub(za)
                    .convertShape(VectorOperators.I2F, F, 0)).mul(sa);
            FloatVector b1 = ((FloatVector) ((IntVector) vb.convertShape(VectorOperators.B2I, I, 1)).and(mask).sub(zb)
                    .convertShape(VectorOperators.I2F, F, 0)).mul(sb);
            FloatVector q1 = a1.add(b1).div(sc).max(-BOUND).min(BOUND).add(ROUNDING).sub(ROUNDING);
            IntVector v1 = ((IntVector) q1.convertShape(VectorOperators.F2I, I, 0)).add(zc).max(lo).min(hi);
            ByteVector out = ((ByteVector) v0.convertShape(VectorOperators.I2B, B, 0)).or((ByteVector) v1.convertShape(VectorOperators.I2B, B, -1));
            out.intoMemorySegment(y, i, ByteOrder.LITTLE_ENDIAN);
        }
        return i;
    }
}
