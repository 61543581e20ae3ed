package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.PackedMatrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Implicit im2col: packs a convolution's unfolded input (row {@code (c·kh + i)·kw + j}, column = output pixel)
 * straight from the image into the GEMM's packed-B layout, without materializing the unfolded matrix. The image
 * is first copied channel by channel into a zero-bordered heap plane ({@link #pad}), so every window element
 * lies inside it. At stride {@code sH × sW} the padded plane is stored as {@code sH·sW} phase planes (padded row
 * {@code r}, column {@code c} in phase {@code (r mod sH, c mod sW)} at {@code (r / sH, c / sW)}), so that the
 * pixels of one output row that a tap reads are consecutive floats of one phase, as at unit stride: element
 * (row, pixel q) is then {@code padded[base(row) + pixelOffset[q]]}, one offset table for every row, whatever the
 * stride, dilation and padding. A lane group of pixels that lies in one output row is one contiguous vector load,
 * one across a single row boundary two loads and a blend; any other group (across several rows) is one gather.
 * Rows are
 * independent, so callers split the work by input channel ({@link #pad}{@code +}{@link #pack} for
 * {@code [c0, c1)} touch only those channels' plane and rows).
 *
 * <p>Lane groups are the machine's preferred species (a {@code static final}, so the JIT compiles the loop to
 * vector instructions) when it divides the GEMM's panel width {@code nr}; narrower panels are packed a float at a
 * time by the scalar twin.
 */
final class ImagePacker {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final ConvGeometry g;
    private final int paddedH;
    private final int paddedW;
    /** Rows and columns of one stride phase of a padded plane (the whole plane at unit stride). */
    private final int phaseH;
    private final int phaseW;
    private final int lanes;
    /** Per output pixel (padded to whole lane groups): its window origin in a padded plane; 0 past the last pixel. */
    private final int[] pixelOffset;
    /**
     * Per lane group: {@link #CONTIGUOUS} when its pixels are consecutive floats of the plane (one load), the lane
     * {@code s} where a second consecutive run starts when there are exactly two (two loads and a blend: a group
     * across one output-row boundary at unit stride), else {@link #GATHER}.
     */
    private final int[] runs;
    private static final int CONTIGUOUS = 0;
    private static final int GATHER = -1;
    /**
     * Row {@code s} ({@code lanes} flags from {@code s·lanes}): the lanes from {@code s} on, which a two-run group
     * takes from its second load. Loaded as a mask with {@code VectorMask.fromArray}: made per group with
     * {@code indexInRange} it cost about 40 cycles a group, most of the packing of a small image (the digits CNN).
     */
    private final boolean[] secondRunLanes;
    /** Per unfolded row, {@link #rowBase}: a table, since its divisions cost more than packing a short row. */
    private final int[] rowBases;

    /** A packer for geometry {@code g} (with its input size) and B panels {@code nr} columns wide. */
    ImagePacker(ConvGeometry g, int nr) {
        this.g = g;
        this.paddedH = g.inH() + g.padTop() + g.padBottom();
        this.paddedW = g.inW() + g.padLeft() + g.padRight();
        this.phaseH = (paddedH + g.strideH() - 1) / g.strideH();
        this.phaseW = (paddedW + g.strideW() - 1) / g.strideW();
        this.lanes = nr % S.length() == 0 ? S.length() : 1;
        int pixels = g.outH() * g.outW();
        int groups = (pixels + lanes - 1) / lanes;
        this.pixelOffset = new int[groups * lanes];
        for (int q = 0; q < pixels; q++) {
            pixelOffset[q] = (q / g.outW()) * phaseW + q % g.outW();
        }
        this.runs = new int[groups];
        for (int group = 0; group < groups; group++) runs[group] = runs(group * lanes, pixels);
        this.rowBases = new int[g.depth()];
        for (int r = 0; r < rowBases.length; r++) rowBases[r] = rowBase(r);
        this.secondRunLanes = new boolean[lanes * lanes];
        for (int split = 0; split < lanes; split++) {
            for (int l = split; l < lanes; l++) secondRunLanes[split * lanes + l] = true;
        }
    }

    /** {@link #runs} of the lane group starting at pixel {@code q0}. */
    private int runs(int q0, int pixels) {
        if (q0 + lanes > pixels) return GATHER;
        int breaks = 0, at = CONTIGUOUS;
        for (int l = 1; l < lanes; l++) {
            if (pixelOffset[q0 + l] == pixelOffset[q0 + l - 1] + 1) continue;
            // The second run's load starts l floats before it; it must not start before the first run does.
            if (++breaks > 1 || pixelOffset[q0 + l] - l < pixelOffset[q0]) return GATHER;
            at = l;
        }
        return at;
    }

    /** Floats of the padded image: per input channel, a zero-bordered plane as its stride phases. */
    int paddedFloats() { return g.inC() * planeFloats(); }

    private int planeFloats() { return g.strideH() * g.strideW() * phaseH * phaseW; }

    /** Copies channels {@code [c0, c1)} of the image at byte {@code xOffset} of {@code x} into {@code padded}'s planes. */
    void pad(MemorySegment x, long xOffset, int c0, int c1, float[] padded) {
        if (g.strideH() > 1 || g.strideW() > 1) {
            padPhases(x, xOffset, c0, c1, padded);
            return;
        }
        int h = g.inH(), w = g.inW(), plane = paddedH * paddedW;
        for (int c = c0; c < c1; c++) {
            int dst = c * plane;
            Arrays.fill(padded, dst, dst + g.padTop() * paddedW, 0f);
            for (int row = 0; row < h; row++) {
                int to = dst + (g.padTop() + row) * paddedW;
                Arrays.fill(padded, to, to + g.padLeft(), 0f);
                MemorySegment.copy(x, F, xOffset + ((long) c * h + row) * w * Float.BYTES, padded, to + g.padLeft(), w);
                Arrays.fill(padded, to + g.padLeft() + w, to + paddedW, 0f);
            }
            Arrays.fill(padded, dst + (g.padTop() + h) * paddedW, dst + plane, 0f);
        }
    }

    /** {@link #pad} at stride above 1: each image float to its phase plane, the rest of the planes zero. */
    private void padPhases(MemorySegment x, long xOffset, int c0, int c1, float[] padded) {
        int h = g.inH(), w = g.inW(), sH = g.strideH(), sW = g.strideW(), plane = planeFloats(), phase = phaseH * phaseW;
        Arrays.fill(padded, c0 * plane, c1 * plane, 0f);
        for (int c = c0; c < c1; c++) {
            for (int row = 0; row < h; row++) {
                int r = row + g.padTop();
                int rowBase = c * plane + (r % sH) * sW * phase + (r / sH) * phaseW;
                long from = xOffset + ((long) c * h + row) * w * Float.BYTES;
                // The column's phase and index within it, stepped along the row: no division per float.
                int columnPhase = g.padLeft() % sW, at = rowBase + columnPhase * phase + g.padLeft() / sW;
                for (int col = 0; col < w; col++) {
                    padded[at] = x.get(F, from + (long) col * Float.BYTES);
                    if (++columnPhase == sW) {
                        columnPhase = 0;
                        at += 1 - (sW - 1) * phase;
                    } else {
                        at += phase;
                    }
                }
            }
        }
    }

    /**
     * Packs the unfolded rows of channels {@code [c0, c1)}, pixels {@code [first, first + into.n())} ({@code first} a
     * multiple of the panel width), from {@code padded} into {@code into}.
     */
    void pack(float[] padded, int c0, int c1, int first, PackedMatrix into) {
        int rowsPerChannel = g.kH() * g.kW();
        if (first % into.nr() != 0) throw new IllegalArgumentException("pixel block at " + first + " is not panel-aligned");
        if (lanes > 1) packRows(padded, c0 * rowsPerChannel, c1 * rowsPerChannel, first, into);
        else packRowsScalar(padded, c0 * rowsPerChannel, c1 * rowsPerChannel, first, into);
    }

    /** Unfolded rows {@code [r0, r1)}: each is {@code into.n()} floats spread over the panels of its depth block. */
    private void packRows(float[] padded, int r0, int r1, int first, PackedMatrix into) {
        int end = first + into.n(), nr = into.nr(), l = S.length();
        int lastGroup = (end + l - 1) / l * l, lastPanel = first + (into.n() + nr - 1) / nr * nr;
        MemorySegment dst = into.data();
        FloatVector zero = FloatVector.zero(S);
        // Rows of one depth block are nr floats apart: their offsets are stepped, not divided out per row.
        long rowStart = 0, panelBytes = 0;
        for (int r = r0, blockEnd = r0; r < r1; r++, rowStart += (long) nr * Float.BYTES) {
            if (r == blockEnd) {
                blockEnd = (r / into.kc() + 1) * into.kc();
                rowStart = into.rowOffset(r);
                panelBytes = into.panelBytes(r);
            }
            int base = rowBases[r];
            long panel = rowStart;
            for (int q0 = first; q0 < end; q0 += nr, panel += panelBytes) {
                for (int q = q0, stop = Math.min(q0 + nr, end); q < stop; q += l) {
                    FloatVector v;
                    if (q + l > end) v = FloatVector.fromArray(S, padded, base, pixelOffset, q, S.indexInRange(q, end));
                    else {
                        int split = runs[q / l];
                        if (split == CONTIGUOUS) {
                            v = FloatVector.fromArray(S, padded, base + pixelOffset[q]);
                        } else if (split == GATHER) {
                            v = FloatVector.fromArray(S, padded, base, pixelOffset, q);
                        } else {
                            FloatVector second = FloatVector.fromArray(S, padded, base + pixelOffset[q + split] - split);
                            v = FloatVector.fromArray(S, padded, base + pixelOffset[q]).blend(second, VectorMask.fromArray(S, secondRunLanes, split * l));
                        }
                    }
                    v.intoMemorySegment(dst, panel + (long) (q - q0) * Float.BYTES, ORDER);
                }
            }
            for (int q = lastGroup; q < lastPanel; q += l) {
                zero.intoMemorySegment(dst, rowStart + ((q - first) / nr) * panelBytes + (q % nr) * (long) Float.BYTES, ORDER);
            }
        }
    }

    private void packRowsScalar(float[] padded, int r0, int r1, int first, PackedMatrix into) {
        int n = into.n(), nr = into.nr();
        MemorySegment dst = into.data();
        for (int r = r0; r < r1; r++) {
            int base = rowBases[r];
            long rowStart = into.rowOffset(r), panelBytes = into.panelBytes(r);
            for (int q = 0; q < (n + nr - 1) / nr * nr; q++) {
                float v = q < n ? padded[base + pixelOffset[first + q]] : 0f;
                dst.set(F, rowStart + (q / nr) * panelBytes + (q % nr) * (long) Float.BYTES, v);
            }
        }
    }

    /** Where unfolded row {@code r} = (channel c, kernel offset i, j) starts: in its channel, the tap's phase, shifted. */
    private int rowBase(int r) {
        int j = r % g.kW(), i = r / g.kW() % g.kH(), c = r / (g.kW() * g.kH());
        int a = i * g.dilationH(), b = j * g.dilationW(), sH = g.strideH(), sW = g.strideW();
        return c * planeFloats() + ((a % sH) * sW + b % sW) * phaseH * phaseW + (a / sH) * phaseW + b / sW;
    }
}
