package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.PackedMatrix;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ImagePacker} against the definition of the unfolded matrix, element by element, for panels the preferred
 * species divides (vector loads and gathers) and panels it does not (the scalar twin), whole and in pixel blocks.
 */
class ImagePackerTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** inC, inH, inW, kH, kW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW. */
    private static final int[][] GEOMETRIES = {
            {3, 9, 11, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 13, 10, 3, 2, 2, 3, 0, 1, 2, 1, 1, 2},
            {4, 7, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
            {2, 20, 21, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1},
            {1, 5, 40, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1},
            {2, 6, 21, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 4, 38, 3, 3, 1, 1, 0, 2, 1, 0, 1, 1},
            {3, 15, 57, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},   // stride phases of odd size, rows wider than a lane group
            {2, 9, 70, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1},    // a strided 1×1 (ResNet's downsample)
            {2, 12, 50, 3, 3, 3, 2, 2, 0, 1, 1, 2, 1},   // dilation across stride phases
            {16, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},    // the digits CNN's conv2: lane groups of two 8-pixel rows
            {3, 30, 30, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},   // a stem: stride 2, 15-pixel output rows
    };

    @Test
    void packsTheUnfoldedImageWholeAndInBlocks() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        for (int[] d : GEOMETRIES) {
            ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], 5, d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12]);
            for (int nr : new int[] {2 * lanes, lanes, 3}) {
                for (int kc : new int[] {4, 256}) {
                    int pixels = g.outH() * g.outW();
                    check(g, nr, kc, 0, pixels);
                    if (pixels > 2 * nr) check(g, nr, kc, nr, Math.min(pixels - nr, nr + 5));
                }
            }
        }
    }

    private static void check(ConvGeometry g, int nr, int kc, int first, int n) {
        float[] image = new float[g.inC() * g.inH() * g.inW()];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < image.length; i++) image[i] = (float) r.nextDouble(-1, 1);
        ImagePacker packer = new ImagePacker(g, nr);
        float[] padded = new float[packer.paddedFloats()];
        java.util.Arrays.fill(padded, Float.NaN);   // every float the packer reads must have been written by pad
        int k = g.depth();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate((image.length + 3L) * Float.BYTES);
            MemorySegment.copy(image, 0, x, F, 12, image.length);
            PackedMatrix into = new PackedMatrix(k, n, nr, kc, arena.allocate(PackedMatrix.byteSize(k, n, nr)));
            into.data().fill((byte) 0x7f);
            packer.pad(x, 12, 0, 1, padded);
            packer.pad(x, 12, 1, g.inC(), padded);
            packer.pack(padded, 0, 1, first, into);
            packer.pack(padded, 1, g.inC(), first, into);
            int paddedN = (n + nr - 1) / nr * nr;
            for (int row = 0; row < k; row++) {
                for (int q = 0; q < paddedN; q++) {
                    float want = q < n ? unfolded(g, image, row, first + q) : 0f;
                    float got = into.data().get(F, into.rowOffset(row) + (q / nr) * into.panelBytes(row) + (q % nr) * 4L);
                    assertEquals(want, got, g + " nr " + nr + " kc " + kc + " first " + first + ": row " + row + ", pixel " + q);
                }
            }
        }
    }

    /** The unfolded matrix's element: input channel c at kernel offset (i, j) under output pixel q; 0 in the padding. */
    private static float unfolded(ConvGeometry g, float[] image, int row, int q) {
        int j = row % g.kW(), i = row / g.kW() % g.kH(), c = row / (g.kW() * g.kH());
        int ih = q / g.outW() * g.strideH() - g.padTop() + i * g.dilationH();
        int iw = q % g.outW() * g.strideW() - g.padLeft() + j * g.dilationW();
        if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) return 0f;
        return image[(c * g.inH() + ih) * g.inW() + iw];
    }
}
