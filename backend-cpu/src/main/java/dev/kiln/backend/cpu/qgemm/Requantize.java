package dev.kiln.backend.cpu.qgemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The QLinear epilogue: {@code y = clamp(rint((acc + bias) · multiplier) + zeroPoint, lo, hi)} stored as one byte
 * per element, row {@code i} at {@code offset + i·ldc}. The multiplier is {@code a_scale·b_scale / y_scale}, rounded
 * to the scales' float type as the ONNX reference does, and the product is taken in double, so the result matches
 * the reference interpreter bit for bit; the rounding is half to even, as the spec asks ({@code rint}, and in the
 * vector loop the add-and-subtract of 1.5·2⁵², exact for the |values| below 2⁵¹ that an int32 times a float32
 * scale stays within). {@code [lo, hi]} is the output type's range, or narrower where an activation (Relu, Clip)
 * was folded into it. Vectors of doubles (ints of the same lane count in and out), stored as bytes by a scalar
 * loop; a scalar tail. The tile is overwritten: it is the epilogue's once the micro-kernel hands it over.
 */
public record Requantize(MemorySegment out, long offset, int ldc, ChannelValues multiplier, ChannelValues bias, int zeroPoint,
                         int lo, int hi) implements QuantEpilogue {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final double ROUNDER = 0x1.8p52;

    @Override
    public void apply(int[] tile, int stride, int row0, int col0, int rows, int cols) {
        double[] scale = multiplier.values(), shift = bias == null ? null : bias.values();
        boolean scalePerCol = scale.length > 1 && !multiplier.perRow(), shiftPerCol = shift != null && shift.length > 1 && !bias.perRow();
        int lanes = D.length(), vectorCols = cols - cols % lanes;
        for (int i = 0; i < rows; i++) {
            int row = row0 + i;
            long to = offset + (long) row * ldc + col0;
            double rowScale = multiplier.at(row, col0), rowShift = bias == null ? 0 : bias.at(row, col0);
            int j = 0;
            for (; j < vectorCols; j += lanes) {
                DoubleVector v = (DoubleVector) IntVector.fromArray(I, tile, i * stride + j).convertShape(VectorOperators.I2D, D, 0);
                v = v.add(shiftPerCol ? DoubleVector.fromArray(D, shift, col0 + j) : DoubleVector.broadcast(D, rowShift));
                v = v.mul(scalePerCol ? DoubleVector.fromArray(D, scale, col0 + j) : DoubleVector.broadcast(D, rowScale));
                v = v.add(ROUNDER).sub(ROUNDER).add(zeroPoint).max(lo).min(hi);
                // Back into the consumed tile: no byte species is as short as a vector of doubles has lanes.
                v.convertShape(VectorOperators.D2I, I, 0).reinterpretAsInts().intoArray(tile, i * stride + j);
            }
            for (int jj = 0; jj < vectorCols; jj++) out.set(ValueLayout.JAVA_BYTE, to + jj, (byte) tile[i * stride + jj]);
            for (; j < cols; j++) {
                int col = col0 + j;
                double acc = tile[i * stride + j] + (bias == null ? 0 : bias.at(row, col));
                double q = Math.rint(acc * multiplier.at(row, col)) + zeroPoint;
                out.set(ValueLayout.JAVA_BYTE, to + j, (byte) (int) Math.clamp(q, lo, hi));
            }
        }
    }
}
