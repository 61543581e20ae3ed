package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedA;
import dev.kiln.backend.cpu.gemm.TileEpilogue;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.backend.cpu.plan.Frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A unit-stride convolution as a sum over its kernel taps of GEMMs that read the zero-padded image in place, with
 * no unfolded matrix. Number the padded image's pixels row by row ({@code Wp} wide) and give output pixel
 * {@code (oh, ow)} the virtual index {@code q = oh·Wp + ow}: tap {@code (i, j)} reads padded pixel
 * {@code q + i·dh·Wp + j·dw} for every q, so for each tap B is the padded image shifted by a constant (one row of B
 * per input channel, a plane apart) and A is that tap's slice of the weights ({@code outC × C}, packed at compile
 * time). The {@code Wp − outW} virtual pixels past each output row's end are computed and dropped: {@code (Wp −
 * outW)/Wp} more multiply-adds (3.4% at 56 wide, 22% at 7) instead of writing and reading back the
 * {@code C·kH·kW × P} unfolded matrix that {@link ConvPlan} packs.
 *
 * <p>Virtual pixels are cut into blocks of whole panels whose {@code outC × block} sum stays in L2 through every tap,
 * split over the threads; each block sums into its thread's scratch, then its valid columns are copied into Y, a
 * stretch of an output row at a time, and the epilogue runs on them there. A warm run allocates nothing.
 */
final class TapConvPlan implements ConvSchedule {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** One block's sum ({@code outC × block} floats): a quarter of Zen 4's 1 MiB L2, beside the image rows it reads. */
    static final long BLOCK_BYTES = 256 * 1024;
    /** Padded floats from which padding is split over the threads: below, a hand-off costs more. */
    static final long PARALLEL_MIN_PADDED = 1 << 16;

    private final ConvGeometry g;
    private final Gemm gemm;
    private final PackedA[] taps;
    /** Per tap, its shift in the padded plane, in bytes. */
    private final long[] tapShift;
    private final int paddedW;
    private final long planeFloats;
    private final int virtualPixels;
    private final int blockPixels;
    private final int blocks;
    private final MemorySegment padded;
    private final MemorySegment sums;
    private final long sumBytes;
    private final WorkerPool.RangeBody pad = this::pad;
    private final WorkerPool.RangeBody convolveBlocks = this::convolveBlocks;

    // The current image, set by run() for the bodies above.
    private MemorySegment image;
    private long imageOffset;
    private MemorySegment out;
    private long outOffset;
    private TileEpilogue epilogue;

    /** Whether {@code g} runs this way: unit stride, and more than one tap or padding (else the image is B already). */
    static boolean applies(ConvGeometry g) { return g.strideH() == 1 && g.strideW() == 1 && !g.isPointwise(); }

    /** The weights {@code outC × C × kH × kW} ({@code w}, row-major) as one packed A per tap, {@code outC × C}. */
    static PackedA[] packTaps(Gemm packer, MemorySegment w, int outC, int inC, int kH, int kW) {
        int window = kH * kW;
        PackedA[] taps = new PackedA[window];
        float[] slice = new float[outC * inC];
        for (int t = 0; t < window; t++) {
            for (int m = 0; m < outC; m++) {
                for (int c = 0; c < inC; c++) slice[m * inC + c] = w.getAtIndex(F, ((long) m * inC + c) * window + t);
            }
            taps[t] = packer.packA(MemorySegment.ofArray(slice), 0, inC, outC, inC);
        }
        return taps;
    }

    TapConvPlan(ConvGeometry g, PackedA[] taps, Frame frame) {
        this.g = g;
        this.gemm = frame.gemm();
        this.taps = taps;
        int paddedH = g.inH() + g.padTop() + g.padBottom();
        this.paddedW = g.inW() + g.padLeft() + g.padRight();
        this.planeFloats = (long) paddedH * paddedW;
        this.tapShift = new long[g.kH() * g.kW()];
        for (int i = 0; i < g.kH(); i++) {
            for (int j = 0; j < g.kW(); j++) tapShift[i * g.kW() + j] = ((long) i * g.dilationH() * paddedW + (long) j * g.dilationW()) * Float.BYTES;
        }
        // The last output row's dropped pixels are not computed, so no tap reads past its plane.
        this.virtualPixels = (g.outH() - 1) * paddedW + g.outW();
        int nr = gemm.tileColumns(), threads = gemm.threads();
        int panels = ceilDiv(virtualPixels, nr);
        int maxBlock = Math.max(1, (int) (BLOCK_BYTES / ((long) g.outC() * nr * Float.BYTES)));
        int count = Math.min(panels, ceilDiv(ceilDiv(panels, maxBlock), threads) * threads);
        this.blockPixels = ceilDiv(panels, count) * nr;
        this.blocks = ceilDiv(virtualPixels, blockPixels);
        this.padded = frame.scratch(Frame.Scratch.PADDED_IMAGE, g.inC() * planeFloats * Float.BYTES);
        this.sumBytes = ((long) g.outC() * blockPixels * Float.BYTES + 63) / 64 * 64;
        this.sums = frame.scratch(Frame.Scratch.PACKED_B, sumBytes * threads);
    }

    @Override
    public boolean fits(Frame frame, ConvGeometry geometry) {
        return geometry == g && frame.gemm() == gemm
                && frame.scratch(Frame.Scratch.PADDED_IMAGE, padded.byteSize()) == padded
                && frame.scratch(Frame.Scratch.PACKED_B, sums.byteSize()) == sums;
    }

    @Override
    public void run(Frame frame, MemorySegment x, long xOffset, MemorySegment y, long yOffset, TileEpilogue epilogue) {
        this.image = x;
        this.imageOffset = xOffset;
        this.out = y;
        this.outOffset = yOffset;
        this.epilogue = epilogue;
        boolean parallel = gemm.threads() > 1;
        try {
            if (parallel && g.inC() * planeFloats >= PARALLEL_MIN_PADDED) frame.pool().parallelFor(g.inC(), pad);
            else pad(0, 0, g.inC());
            if (parallel && blocks > 1) frame.pool().parallelFor(blocks, convolveBlocks);
            else convolveBlocks(0, 0, blocks);
        } finally {
            this.image = null;
            this.out = null;
            this.epilogue = null;
        }
    }

    /** Copies channels {@code [c0, c1)} of the image into zero-bordered planes of {@link #padded}. */
    private void pad(int worker, int c0, int c1) {
        int h = g.inH(), w = g.inW();
        long rowBytes = (long) paddedW * Float.BYTES;
        for (int c = c0; c < c1; c++) {
            long plane = c * planeFloats * Float.BYTES;
            zero(plane, g.padTop() * paddedW);
            for (int row = 0; row < h; row++) {
                long to = plane + (g.padTop() + row) * rowBytes;
                zero(to, g.padLeft());
                MemorySegment.copy(image, imageOffset + ((long) c * h + row) * w * Float.BYTES, padded, to + (long) g.padLeft() * Float.BYTES,
                        (long) w * Float.BYTES);
                zero(to + (long) (g.padLeft() + w) * Float.BYTES, g.padRight());
            }
            long bottom = plane + (g.padTop() + h) * rowBytes;
            zero(bottom, (int) (g.padBottom() * (long) paddedW));
        }
    }

    private void zero(long at, int floats) {
        for (int i = 0; i < floats; i++) padded.set(F, at + (long) i * Float.BYTES, 0f);
    }

    private void convolveBlocks(int worker, int from, int to) {
        long mine = worker * sumBytes;
        int ldb = (int) planeFloats;
        for (int b = from; b < to; b++) {
            int first = b * blockPixels, n = Math.min(blockPixels, virtualPixels - first);
            for (int t = 0; t < taps.length; t++) {
                gemm.multiplyInPlaceOn(worker, taps[t], padded, tapShift[t] + (long) first * Float.BYTES, ldb, n, sums, mine, blockPixels, t > 0);
            }
            storeValid(mine, first, n);
        }
    }

    /** Copies the block's valid columns (those of real output pixels) into Y and runs the epilogue on them. */
    private void storeValid(long sumOffset, int first, int n) {
        int outW = g.outW(), outC = g.outC(), pixels = g.outH() * outW;
        long ldy = (long) pixels * Float.BYTES, lds = (long) blockPixels * Float.BYTES;
        for (int q = first; q < first + n; ) {
            int oh = q / paddedW, ow = q % paddedW;
            if (ow >= outW) {
                q += paddedW - ow;
                continue;
            }
            int len = Math.min(outW - ow, first + n - q), pixel = oh * outW + ow;
            long from = sumOffset + (long) (q - first) * Float.BYTES, into = outOffset + (long) pixel * Float.BYTES;
            for (int m = 0; m < outC; m++) MemorySegment.copy(sums, from + m * lds, out, into + m * ldy, (long) len * Float.BYTES);
            if (epilogue != null) epilogue.apply(out, into, pixels, 0, pixel, outC, len);
            q += len;
        }
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
