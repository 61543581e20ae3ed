package dev.kiln.backend.cpu.depthwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One input channel laid out so that every kernel tap of a strided, dilated, padded convolution reads one contiguous
 * run, whatever the stride: the zero-padded channel split into {@code strideH × strideW} phase planes, plane
 * {@code (a, b)} holding the padded rows {@code a, a + strideH, …} and of those the columns {@code b, b + strideW, …}.
 * Output {@code (oh, ow)}'s tap {@code (kh, kw)} reads padded {@code (oh·sH + kh·dH, ow·sW + kw·dW)}, which is plane
 * {@code (kh·dH mod sH, kw·dW mod sW)} at row {@code oh + kh·dH div sH}, column {@code ow + kw·dW div sW}. With
 * plane rows {@link #rowLength()} floats long, output {@code (oh, ow)} is "flat" index {@code q = oh·rowLength + ow}
 * and its tap {@code t} sits at float {@code tapOffset(t) + q} of the planes: a convolution is a sum of shifted
 * copies of the planes, vectorizable along {@code q} with no bounds checks. Columns {@code q mod rowLength ≥ outW}
 * are padding the caller drops.
 *
 * <p>Planes cover a band of at most {@link #bandRows()} output rows (a band that fits in L1 with its output), plus
 * the rows its taps reach below; each plane ends in spare floats that a vector loop reading a whole last vector of
 * the last tap may touch (their values only reach dropped columns).
 */
final class PhasePlanes {
    /** Spare floats after each plane and after the flat output: one vector of the widest species (512 bits). */
    static final int SLACK = 16;
    /** Floats of planes a band aims for (16 KiB), so that planes and output stay in a 32 KiB L1 together. */
    private static final int BAND_FLOATS = 4096;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final GroupedGeometry g;
    private final int rowLength;
    private final int extraRows;
    private final int bandRows;
    private final int planeFloats;
    private final int[] tapOffsets;

    /** The layout for {@code g} in bands that fit in L1 with their output. */
    static PhasePlanes inBands(GroupedGeometry g) {
        int rowLength = rowLength(g), extraRows = extraRows(g);
        int fits = BAND_FLOATS / (g.strideH() * g.strideW() * rowLength) - extraRows;
        return new PhasePlanes(g, Math.max(1, Math.min(g.outH(), fits)));
    }

    /** The layout for {@code g} in one band: the whole channel. */
    static PhasePlanes whole(GroupedGeometry g) { return new PhasePlanes(g, g.outH()); }

    private PhasePlanes(GroupedGeometry g, int bandRows) {
        this.g = g;
        this.rowLength = rowLength(g);
        this.extraRows = extraRows(g);
        this.bandRows = bandRows;
        // A tap's run starts up to (kW - 1)·dW / sW floats into a row, and the last vector may pass the band by SLACK.
        this.planeFloats = (bandRows + extraRows) * rowLength + (g.kW() - 1) * g.dilationW() / g.strideW() + SLACK;
        this.tapOffsets = new int[g.taps()];
        for (int kh = 0; kh < g.kH(); kh++) {
            for (int kw = 0; kw < g.kW(); kw++) {
                int dy = kh * g.dilationH(), dx = kw * g.dilationW();
                int plane = (dy % g.strideH()) * g.strideW() + dx % g.strideW();
                tapOffsets[kh * g.kW() + kw] = plane * planeFloats + dy / g.strideH() * rowLength + dx / g.strideW();
            }
        }
    }

    private static int rowLength(GroupedGeometry g) { return g.outW() + (g.kW() - 1) * g.dilationW() / g.strideW(); }

    private static int extraRows(GroupedGeometry g) { return (g.kH() - 1) * g.dilationH() / g.strideH(); }

    GroupedGeometry geometry() { return g; }

    /** Floats from one plane row (and one flat output row) to the next. */
    int rowLength() { return rowLength; }

    /** Output rows per band. */
    int bandRows() { return bandRows; }

    /** Bands covering the output's height. */
    int bands() { return (g.outH() + bandRows - 1) / bandRows; }

    /** Where tap {@code kh·kW + kw} of flat output 0 sits in the planes, in floats. */
    int[] tapOffsets() { return tapOffsets; }

    /** Floats the planes of one band take. */
    long planesFloats() { return (long) g.strideH() * g.strideW() * planeFloats; }

    /** Floats of a band's flat output, whole vectors of any species included. */
    long flatFloats() { return (long) bandRows * rowLength + SLACK; }

    /**
     * Fills the planes at {@code planes} (float 0) for output rows {@code [oh0, oh0 + rows)} from the channel whose
     * {@code inH × inW} floats start at byte {@code channel} of {@code x}.
     */
    void fill(MemorySegment x, long channel, int oh0, int rows, MemorySegment planes) {
        int sh = g.strideH(), sw = g.strideW();
        long planeBytes = (long) planeFloats * Float.BYTES;
        for (int a = 0; a < sh; a++) {
            for (int i = 0; i < rows + extraRows; i++) {
                int ih = (oh0 + i) * sh + a - g.padTop();
                long row = a * sw * planeBytes + (long) i * rowLength * Float.BYTES;
                long inRow = channel + (long) ih * g.inW() * Float.BYTES;
                if (ih < 0 || ih >= g.inH()) {
                    for (int b = 0; b < sw; b++) zero(planes, row + b * planeBytes, 0, rowLength);
                } else if (sw == 2) {
                    splitRow(x, inRow, planes, row, row + planeBytes);
                } else {
                    for (int b = 0; b < sw; b++) fillRow(x, inRow, b, planes, row + b * planeBytes);
                }
            }
        }
    }

    /**
     * Both plane rows of a column stride of 2 from one input row: {@code even[j] = in[2j - padLeft]},
     * {@code odd[j] = in[2j + 1 - padLeft]}, zero outside the row. Whole vectors of the window
     * {@code in[2j - padLeft, +2·lanes)} give a vector of each (a two-vector lane select, one permute on AVX-512); the
     * last window is a masked load, and its store may run past the plane row into the next one (written after) or the
     * plane's slack.
     */
    private void splitRow(MemorySegment x, long inRow, MemorySegment planes, long even, long odd) {
        int lanes = S.length(), w = g.inW(), pad = g.padLeft();
        int j = 0;
        for (; j < rowLength && 2 * j - pad < 0; j++) {
            int iw = 2 * j - pad;
            planes.set(F, even + 4L * j, 0f);
            planes.set(F, odd + 4L * j, iw + 1 >= 0 && iw + 1 < w ? x.get(F, inRow + 4L * (iw + 1)) : 0f);
        }
        FloatVector evens = FloatVector.zero(S).addIndex(2), odds = evens.add(1f);
        for (; j < rowLength && 2 * (j + lanes) - pad <= w; j += lanes) {
            long at = inRow + 4L * (2 * j - pad);
            FloatVector lo = FloatVector.fromMemorySegment(S, x, at, LE), hi = FloatVector.fromMemorySegment(S, x, at + 4L * lanes, LE);
            evens.selectFrom(lo, hi).intoMemorySegment(planes, even + 4L * j, LE);
            odds.selectFrom(lo, hi).intoMemorySegment(planes, odd + 4L * j, LE);
        }
        for (; j < rowLength; j += lanes) {
            int start = 2 * j - pad, left = Math.max(0, w - start);
            long at = inRow + 4L * start;
            FloatVector lo = FloatVector.fromMemorySegment(S, x, at, LE, S.indexInRange(0, left));
            FloatVector hi = FloatVector.fromMemorySegment(S, x, at + 4L * lanes, LE, S.indexInRange(lanes, left));
            evens.selectFrom(lo, hi).intoMemorySegment(planes, even + 4L * j, LE);
            odds.selectFrom(lo, hi).intoMemorySegment(planes, odd + 4L * j, LE);
        }
    }

    /** Plane row of column phase {@code b}: padded columns {@code b, b + sW, …} of one input row, zeros in the padding. */
    private void fillRow(MemorySegment x, long inRow, int b, MemorySegment planes, long row) {
        int sw = g.strideW(), shift = g.padLeft() - b;
        // Column j reads input column j·sW - shift: valid for j in [lo, hi).
        int lo = Math.min(rowLength, Math.max(0, Math.ceilDiv(shift, sw)));
        int hi = Math.max(lo, Math.min(rowLength, Math.floorDiv(g.inW() - 1 + shift, sw) + 1));
        zero(planes, row, 0, lo);
        if (sw == 1) {
            copy(x, inRow + (long) (lo - shift) * Float.BYTES, planes, row + (long) lo * Float.BYTES, hi - lo);
        } else {
            for (int j = lo; j < hi; j++) planes.set(F, row + (long) j * Float.BYTES, x.get(F, inRow + (long) (j * sw - shift) * Float.BYTES));
        }
        zero(planes, row, hi, rowLength);
    }

    /** {@code n} floats from {@code src} to {@code dst}, in vectors, the last one masked (rows are short: 7 to 112 floats). */
    private static void copy(MemorySegment src, long from, MemorySegment dst, long to, int n) {
        int lanes = S.length(), j = 0;
        for (; j + lanes <= n; j += lanes) FloatVector.fromMemorySegment(S, src, from + 4L * j, LE).intoMemorySegment(dst, to + 4L * j, LE);
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromMemorySegment(S, src, from + 4L * j, LE, m).intoMemorySegment(dst, to + 4L * j, LE, m);
        }
    }

    private static void zero(MemorySegment s, long row, int from, int to) {
        for (int j = from; j < to; j++) s.set(F, row + (long) j * Float.BYTES, 0f);
    }
}
