package dev.kiln.backend.cpu.depthwise;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.kernels.FloatLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The depthwise vector kernels (over phase planes band by band, over flat planes, and row by row) against their scalar twin: a direct convolution. */
class DepthwiseKernelTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final FusedEpilogue.Clip RELU6 = new FusedEpilogue.Clip(0f, 6f);
    private static final FusedEpilogue.Clip NONE = (FusedEpilogue.Clip) FusedEpilogue.Activation.NONE;

    /** {inH, inW, kH, kW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW} */
    private static final int[][] SHAPES = {
        {112, 112, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {112, 112, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
        {7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {14, 14, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1},
        {13, 17, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1},
        {19, 23, 3, 3, 1, 2, 2, 0, 1, 3, 2, 2},
        {9, 30, 1, 1, 2, 3, 0, 0, 0, 0, 1, 1},
        {11, 12, 2, 4, 3, 1, 1, 2, 0, 1, 1, 3},
        {1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    };

    @Test
    void everyBandMatchesTheScalarTwinAtTheSmallestAndLargestSpecies() {
        for (VectorSpecies<Float> species : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            DepthwiseKernel kernel = new DepthwiseKernel(species);
            for (int[] d : SHAPES) {
                GroupedGeometry g = new GroupedGeometry(1, 1, 1, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11]);
                for (PhasePlanes layout : new PhasePlanes[] {PhasePlanes.inBands(g), PhasePlanes.whole(g)}) {
                    for (FusedEpilogue.Clip act : new FusedEpilogue.Clip[] {NONE, RELU6}) {
                        check(kernel, layout, act, species + " " + g + " " + act);
                    }
                }
            }
        }
    }

    @Test
    void theFlatKernelMatchesTheScalarTwinAtTheSmallestAndLargestSpecies() {
        // {inH, w, padTop, padBottom}: planes copied whole into scratch (≤ 1024 floats) and read in place, in bands.
        int[][] shapes = {{7, 7, 1, 1}, {14, 14, 1, 1}, {15, 15, 1, 1}, {3, 5, 1, 1}, {1, 1, 1, 1}, {28, 28, 1, 1}, {5, 17, 0, 2},
                          {9, 33, 2, 0}, {3, 1, 1, 1}, {56, 56, 1, 1}, {112, 112, 1, 1}, {45, 23, 1, 1}, {40, 41, 0, 2}, {33, 40, 2, 1}};
        for (VectorSpecies<Float> species : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            FlatDepthwise3x3 kernel = new FlatDepthwise3x3(FloatLanes.of(species));
            for (int[] d : shapes) {
                GroupedGeometry g = new GroupedGeometry(1, 1, 1, d[0], d[1], 3, 3, 1, 1, d[2], 1, d[3], 1, 1, 1);
                assertTrue(FlatDepthwise3x3.handles(g));
                FlatDepthwise3x3.Columns columns = FlatDepthwise3x3.Columns.of(g.inW(), species.length());
                try (Arena arena = Arena.ofConfined()) {
                    // Two channels side by side, the second one checked: its loads must not see the first one, nor
                    // (the segment ends with it) run past the segment.
                    int plane = g.inH() * g.inW();
                    MemorySegment x = random(arena, 3, 2 * plane);
                    MemorySegment w = random(arena, 4, 18);
                    MemorySegment y = arena.allocate(2L * g.outH() * g.outW() * Float.BYTES, 64);
                    long in = 4L * plane, out = 4L * g.outH() * g.outW();
                    float[] want = directConvolution(g, x, in, w, 36, -0.25f, RELU6);
                    if (FlatDepthwise3x3.copies(g)) {
                        MemorySegment scratch = arena.allocate(FlatDepthwise3x3.scratchFloats(g) * Float.BYTES, 64);
                        kernel.run(x, 0, g.inH(), g.inW(), g.padTop(), columns, scratch, w, 0, 0.5f, 0f, 6f, y, 0, 0, g.outH());
                        kernel.run(x, in, g.inH(), g.inW(), g.padTop(), columns, scratch, w, 36, -0.25f, 0f, 6f, y, out, 0, g.outH());
                    } else {
                        int third = g.outH() / 3;
                        kernel.run(x, in, g.inH(), g.inW(), g.padTop(), columns, null, w, 36, -0.25f, 0f, 6f, y, out, 0, third);
                        kernel.run(x, in, g.inH(), g.inW(), g.padTop(), columns, null, w, 36, -0.25f, 0f, 6f, y, out, third, g.outH() - third);
                    }
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], y.get(F, out + 4L * i), 1e-5f + 1e-5f * Math.abs(want[i]), species + " " + g + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void theStridedRowKernelMatchesTheScalarTwinAtTheSmallestAndLargestSpecies() {
        int[][] shapes = {{112, 112, 1, 1}, {56, 56, 1, 1}, {28, 28, 1, 1}, {14, 14, 1, 1}, {7, 7, 1, 1}, {15, 70, 0, 0}, {9, 67, 2, 2},
                          {2, 1, 1, 1}, {21, 40, 1, 1}, {16, 34, 1, 0}, {5, 32, 0, 1}};
        for (VectorSpecies<Float> species : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            StridedRowDepthwise3x3 kernel = new StridedRowDepthwise3x3(FloatLanes.of(species));
            for (int[] d : shapes) {
                GroupedGeometry g = new GroupedGeometry(1, 1, 1, d[0], d[1], 3, 3, 2, 2, d[2], 1, d[3], 1, 1, 1);
                assertTrue(StridedRowDepthwise3x3.handles(g));
                int plane = g.inH() * g.inW(), outPlane = g.outH() * g.outW();
                try (Arena arena = Arena.ofConfined()) {
                    // Three channels in one segment: the first one's loads start at byte 0, the last one's end with
                    // the segment, the middle one's have neighbours on both sides (that they must not see).
                    MemorySegment x = random(arena, 5, 3 * plane);
                    MemorySegment w = random(arena, 6, 27);
                    MemorySegment y = arena.allocate(3L * outPlane * Float.BYTES, 64);
                    for (int c = 0; c < 3; c++) {
                        float[] want = directConvolution(g, x, 4L * c * plane, w, 36L * c, 0.125f, RELU6);
                        int half = g.outH() / 2;
                        long in = 4L * c * plane, out = 4L * c * outPlane;
                        kernel.run(x, in, g.inH(), g.inW(), g.padTop(), g.outW(), w, 36L * c, 0.125f, 0f, 6f, y, out, 0, half);
                        kernel.run(x, in, g.inH(), g.inW(), g.padTop(), g.outW(), w, 36L * c, 0.125f, 0f, 6f, y, out, half, g.outH() - half);
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(want[i], y.get(F, out + 4L * i), 1e-5f + 1e-5f * Math.abs(want[i]), species + " " + g + " channel " + c + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSplitKernelMatchesTheScalarTwinAtTheSmallestAndLargestSpecies() {
        // {inH, w (even), padTop, padBottom}
        int[][] shapes = {{14, 14, 1, 1}, {28, 28, 1, 1}, {2, 2, 1, 1}, {9, 8, 0, 1}, {15, 20, 2, 0}, {13, 6, 1, 1}, {56, 56, 1, 1}, {1, 2, 1, 1}};
        for (VectorSpecies<Float> species : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            SplitDepthwise3x3 kernel = new SplitDepthwise3x3(FloatLanes.of(species));
            for (int[] d : shapes) {
                GroupedGeometry g = new GroupedGeometry(1, 1, 1, d[0], d[1], 3, 3, 2, 2, d[2], 1, d[3], 1, 1, 1);
                assertTrue(SplitDepthwise3x3.handles(g), g.toString());
                int plane = g.inH() * g.inW(), outPlane = g.outH() * g.outW();
                try (Arena arena = Arena.ofConfined()) {
                    // Three channels, one scratch: every channel overwrites the last one's split rows, and its stores
                    // must not reach the next channel's output (written before it here, checked after).
                    MemorySegment x = random(arena, 7, 3 * plane);
                    MemorySegment w = random(arena, 8, 27);
                    MemorySegment y = arena.allocate(3L * outPlane * Float.BYTES, 64);
                    MemorySegment scratch = arena.allocate(SplitDepthwise3x3.scratchFloats(g) * Float.BYTES, 64);
                    for (int c : new int[] {2, 0, 1}) {
                        kernel.run(g, x, 4L * c * plane, scratch, w, 36L * c, 0.25f * c, 0f, 6f, y, 4L * c * outPlane);
                    }
                    for (int c = 0; c < 3; c++) {
                        float[] want = directConvolution(g, x, 4L * c * plane, w, 36L * c, 0.25f * c, RELU6);
                        for (int i = 0; i < want.length; i++) {
                            float got = y.get(F, 4L * (c * outPlane + i));
                            assertEquals(want[i], got, 1e-5f + 1e-5f * Math.abs(want[i]), species + " " + g + " channel " + c + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeImagesAreCutIntoBandsThatFitInL1() {
        GroupedGeometry g = new GroupedGeometry(1, 1, 1, 112, 112, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        PhasePlanes layout = PhasePlanes.inBands(g);
        assertTrue(layout.bands() > 1, "bands: " + layout.bands());
        assertTrue((layout.planesFloats() + layout.flatFloats()) * Float.BYTES <= 32 * 1024, "band bytes");
        assertEquals(1, PhasePlanes.whole(g).bands());
    }

    private static void check(DepthwiseKernel kernel, PhasePlanes layout, FusedEpilogue.Clip act, String what) {
        GroupedGeometry g = layout.geometry();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = random(arena, 1, g.inH() * g.inW() + 3);
            MemorySegment w = random(arena, 2, g.taps() + 1);
            float bias = 0.375f;
            float[] want = directConvolution(g, x, 4, w, 4, bias, act);
            MemorySegment planes = arena.allocate(layout.planesFloats() * Float.BYTES, 64);
            MemorySegment flat = arena.allocate(layout.flatFloats() * Float.BYTES, 64);
            int outW = g.outW();
            for (int oh0 = 0; oh0 < g.outH(); oh0 += layout.bandRows()) {
                int rows = Math.min(layout.bandRows(), g.outH() - oh0);
                layout.fill(x, 4, oh0, rows, planes);
                kernel.run(planes, layout.tapOffsets(), w, 4, bias, act.min(), act.max(), flat, rows * layout.rowLength());
                for (int r = 0; r < rows; r++) {
                    for (int ow = 0; ow < outW; ow++) {
                        float got = flat.get(F, ((long) r * layout.rowLength() + ow) * Float.BYTES);
                        float expected = want[(oh0 + r) * outW + ow];
                        assertEquals(expected, got, 1e-5f + 1e-5f * Math.abs(expected), what + " at " + (oh0 + r) + "," + ow);
                    }
                }
            }
        }
    }

    /** The scalar twin: {@code act(bias + Σ w·x)} straight from the definition, zero outside the image. */
    static float[] directConvolution(GroupedGeometry g, MemorySegment x, long xOffset, MemorySegment w, long wOffset, float bias,
                                     FusedEpilogue.Activation act) {
        float[] y = new float[g.outH() * g.outW()];
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++) {
                float sum = bias;
                for (int kh = 0; kh < g.kH(); kh++) {
                    for (int kw = 0; kw < g.kW(); kw++) {
                        int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH(), iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                        if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                        sum += w.get(F, wOffset + (kh * g.kW() + kw) * 4L) * x.get(F, xOffset + ((long) ih * g.inW() + iw) * 4);
                    }
                }
                y[oh * g.outW() + ow] = act.apply(sum);
            }
        }
        return y;
    }

    private static MemorySegment random(Arena arena, long seed, int n) {
        MemorySegment s = arena.allocate((long) n * Float.BYTES, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) s.set(F, i * 4L, (float) r.nextDouble(-2, 2));
        return s;
    }
}
