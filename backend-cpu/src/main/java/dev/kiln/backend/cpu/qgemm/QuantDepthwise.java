package dev.kiln.backend.cpu.qgemm;

import dev.kiln.backend.cpu.linear.ConvGeometry;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct depthwise convolution in int32 (one input channel per output channel): each output row is the sum of
 * {@code kH·kW} shifted rows of the channel's zero-padded, zero-point-subtracted image times one weight each, a
 * vector of output pixels at a time when the stride along W is 1 (contiguous input), a scalar loop otherwise and
 * for the tail. A GEMM would waste its register tile on a single-row product here. The finished row goes to a
 * {@link QuantEpilogue} with the channel as C's row, so requantization is the GEMM path's.
 */
public final class QuantDepthwise {
    private static final VectorSpecies<Integer> PREFERRED = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> SMALLEST = IntVector.SPECIES_128;

    private final ConvGeometry g;
    private final boolean smallest;
    private final int paddedW;
    private final int[] row;

    /** A kernel for {@code g} (its input size set) with vectors of {@code species}: 128 bits or the preferred. */
    public QuantDepthwise(ConvGeometry g, VectorSpecies<Integer> species) {
        this.g = g;
        this.smallest = species.vectorBitSize() == 128 && PREFERRED.vectorBitSize() != 128;
        this.paddedW = g.inW() + g.padLeft() + g.padRight();
        this.row = new int[g.outW()];
    }

    /**
     * Convolves one channel: {@code padded} holds it as {@link QuantImagePacker#pad} writes one channel, {@code w}
     * its {@code kH·kW} zero-point-subtracted weights at {@code wOff}; output row {@code oh} goes to
     * {@code epilogue} as C's row {@code channel}, columns {@code oh·outW …}.
     */
    public void channel(int[] padded, int[] w, int wOff, int channel, QuantEpilogue epilogue) {
        int outW = g.outW();
        for (int oh = 0; oh < g.outH(); oh++) {
            java.util.Arrays.fill(row, 0);
            for (int i = 0; i < g.kH(); i++) {
                int src = (oh * g.strideH() + i * g.dilationH()) * paddedW;
                for (int j = 0; j < g.kW(); j++) {
                    int weight = w[wOff + i * g.kW() + j], from = src + j * g.dilationW();
                    if (g.strideW() != 1) {
                        for (int ow = 0; ow < outW; ow++) row[ow] += weight * padded[from + ow * g.strideW()];
                    } else if (smallest) {
                        accumulate(SMALLEST, padded, from, weight, row, outW);
                    } else {
                        accumulate(PREFERRED, padded, from, weight, row, outW);
                    }
                }
            }
            epilogue.apply(row, outW, channel, oh * outW, 1, outW);
        }
    }

    /** {@code row[0:n] += weight · padded[from : from+n]}; inlined at each call with a constant species. */
    private static void accumulate(VectorSpecies<Integer> s, int[] padded, int from, int weight, int[] row, int n) {
        int lanes = s.length(), ow = 0;
        for (; ow <= n - lanes; ow += lanes) {
            IntVector.fromArray(s, padded, from + ow).mul(weight).add(IntVector.fromArray(s, row, ow)).intoArray(row, ow);
        }
        for (; ow < n; ow++) row[ow] += weight * padded[from + ow];
    }
}
