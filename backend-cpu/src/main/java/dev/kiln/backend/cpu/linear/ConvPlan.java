package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedA;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.gemm.TileEpilogue;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.parallel.WorkerPool;

import java.lang.foreign.MemorySegment;

/**
 * How one runner computes one convolution shape, {@code Y = W · unfold(X)} with W packed ahead ({@code outC × K})
 * and the unfolded image ({@code K × P}) packed by an {@link ImagePacker}. Two schedules:
 * <ul>
 *   <li><b>pixel blocks</b>, when the packed image would not fit in L2 ({@link #packedWhole}): the pixels are
 *   cut into blocks whose packed B stays within {@link #BLOCK_BYTES}, and each thread packs one block into its own
 *   scratch and multiplies it at once, so B goes from the image to the micro-kernel through L2 instead of being
 *   written out to L3 and read back, and the threads never wait on each other within the op;</li>
 *   <li><b>whole image</b>, otherwise (deep layers with few pixels): the threads pack B by input channel, then the
 *   GEMM splits the product over them (by output channels when there are too few pixel panels to go round).</li>
 * </ul>
 * A pointwise convolution (1×1, unit stride, no padding) over an off-heap image takes neither: its image is
 * already the unfolded matrix, read in place by {@link Gemm#multiplyInPlace}.
 * Made once per input shape and scratch buffer; a warm run allocates nothing.
 */
final class ConvPlan {
    /** Packed B of one pixel block: a quarter of Zen 4's 1 MiB L2, beside the A block the GEMM keeps there. */
    static final long BLOCK_BYTES = 256 * 1024;
    /** Up to this size the packed image is packed whole: it stays in L2 for the GEMM. */
    static final long WHOLE_B_MAX_BYTES = 1024 * 1024;
    /** Zen 4's L2: weights above it come from L3 on every pass over them. */
    static final long L2_BYTES = 1024 * 1024;
    /** Pixel panels a block must hold for blocking to pay when the weights do not fit L2. */
    static final int MIN_BLOCK_PANELS = 4;
    /** Unfolded floats from which padding and packing is split over the threads: below, a hand-off costs more. */
    static final long PARALLEL_MIN_PACKED = 1 << 16;

    private final ConvGeometry g;
    private final ImagePacker packer;
    private final Gemm gemm;
    private final PackedA weights;
    private final int pixels;
    private final int blockPixels;
    private final int blocks;
    private final MemorySegment scratch;
    /** Whole schedule: the one packed B. Pixel blocks: per worker, a full block's and the last block's packed B. */
    private final PackedMatrix whole;
    private final PackedMatrix[] fullBlock;
    private final PackedMatrix[] lastBlock;
    private final WorkerPool.RangeBody padAndPack = this::padAndPack;
    private final WorkerPool.RangeBody pad = this::pad;
    private final WorkerPool.RangeBody multiplyBlocks = this::multiplyBlocks;

    // The current image, set by run() for the bodies above.
    private float[] padded;
    private MemorySegment image;
    private long imageOffset;
    private MemorySegment out;
    private long outOffset;
    private TileEpilogue epilogue;

    ConvPlan(ConvGeometry g, PackedA weights, Frame frame) {
        this.g = g;
        this.gemm = frame.gemm();
        this.weights = weights;
        this.pixels = g.outH() * g.outW();
        int k = g.depth(), nr = gemm.tileColumns(), threads = gemm.threads();
        this.packer = new ImagePacker(g, nr);
        long wholeBytes = gemm.packedBBytes(k, pixels);
        if (packedWhole(wholeBytes, k, nr)) {
            this.blockPixels = pixels;
            this.blocks = 1;
            this.scratch = frame.scratch(Frame.Scratch.PACKED_B, wholeBytes);
            this.whole = gemm.packedB(scratch, k, pixels);
            this.fullBlock = this.lastBlock = null;
        } else {
            int maxBlock = Math.max(nr, (int) (BLOCK_BYTES / ((long) k * Float.BYTES)) / nr * nr);
            // Whole rounds of blocks for the threads, so none idles at the end (while each block keeps a panel).
            int count = Math.min(ceilDiv(ceilDiv(pixels, maxBlock), threads) * threads, ceilDiv(pixels, nr));
            this.blockPixels = ceilDiv(ceilDiv(pixels, count), nr) * nr;
            this.blocks = ceilDiv(pixels, blockPixels);
            long perWorker = (gemm.packedBBytes(k, blockPixels) + 63) / 64 * 64;
            this.scratch = frame.scratch(Frame.Scratch.PACKED_B, perWorker * threads);
            this.whole = null;
            this.fullBlock = new PackedMatrix[threads];
            this.lastBlock = new PackedMatrix[threads];
            int last = pixels - (blocks - 1) * blockPixels;
            for (int w = 0; w < threads; w++) {
                MemorySegment mine = scratch.asSlice(w * perWorker, perWorker);
                fullBlock[w] = gemm.packedB(mine, k, blockPixels);
                lastBlock[w] = gemm.packedB(mine, k, last);
            }
        }
    }

    /**
     * Whether to pack the image whole: when it is small, or when pixel blocks would hold only a panel or so while
     * the weights exceed L2, since each block's GEMM streams all the weights again (ResNet-18's layer3 and layer4:
     * 2.4 and 9.4 MB per block of one 32-pixel panel). In alternated profiles of ResNet-18 (`kiln bench --profile`,
     * two per build) the time of layer3 and layer4 over that of the other layers went from 0.99/0.99 to 0.89/0.90 on
     * one thread and from 0.92/0.96 to 0.94/0.85 on two. Where the weights fit L2 (layer2: 590 KB) one-panel
     * blocks stay faster: packing layer2 whole cost it 15–20%.
     */
    private boolean packedWhole(long wholeBytes, int k, int nr) {
        if (wholeBytes <= WHOLE_B_MAX_BYTES || pixels <= nr) return true;
        long weightBytes = (long) g.outC() * k * Float.BYTES, blockPixels = BLOCK_BYTES / ((long) k * Float.BYTES);
        return weightBytes > L2_BYTES && blockPixels < (long) MIN_BLOCK_PANELS * nr;
    }

    /** Whether this plan still fits {@code frame}: the same GEMM and the same scratch buffer. */
    boolean fits(Frame frame, ConvGeometry geometry) {
        return geometry == g && frame.gemm() == gemm
                && frame.scratch(Frame.Scratch.PACKED_B, scratch.byteSize()) == scratch;
    }

    /** Convolves the image at byte {@code xOffset} of {@code x} into C at byte {@code yOffset} of {@code y} ({@code outC × P}). */
    void run(Frame frame, MemorySegment x, long xOffset, MemorySegment y, long yOffset, TileEpilogue epilogue) {
        if (g.isPointwise() && x.isNative()) {
            // The image already is B (C × P, row-major): the micro-kernel reads it in place. Only off-heap, so that
            // the micro-kernel's B loads never see a second segment kind (which would stop their inlining).
            gemm.multiplyInPlace(weights, x, xOffset, pixels, pixels, y, yOffset, pixels, epilogue);
            return;
        }
        this.padded = frame.floatScratch(packer.paddedFloats());
        this.image = x;
        this.imageOffset = xOffset;
        this.out = y;
        this.outOffset = yOffset;
        this.epilogue = epilogue;
        boolean parallel = gemm.threads() > 1 && (long) g.depth() * pixels >= PARALLEL_MIN_PACKED;
        try {
            if (whole != null) {
                if (parallel) frame.pool().parallelFor(g.inC(), padAndPack);
                else padAndPack(0, 0, g.inC());
                gemm.multiply(weights, whole, y, yOffset, pixels, false, epilogue);
            } else {
                if (parallel) frame.pool().parallelFor(g.inC(), pad);
                else pad(0, 0, g.inC());
                if (parallel) frame.pool().parallelFor(blocks, multiplyBlocks);
                else multiplyBlocks(0, 0, blocks);
            }
        } finally {
            this.image = null;
            this.out = null;
            this.epilogue = null;
        }
    }

    private void padAndPack(int worker, int c0, int c1) {
        packer.pad(image, imageOffset, c0, c1, padded);
        packer.pack(padded, c0, c1, 0, whole);
    }

    private void pad(int worker, int c0, int c1) { packer.pad(image, imageOffset, c0, c1, padded); }

    private void multiplyBlocks(int worker, int from, int to) {
        for (int b = from; b < to; b++) {
            int first = b * blockPixels;
            PackedMatrix block = b == blocks - 1 ? lastBlock[worker] : fullBlock[worker];
            packer.pack(padded, 0, g.inC(), first, block);
            gemm.multiplyOn(worker, weights, block, out, outOffset + (long) first * Float.BYTES, pixels, first, epilogue);
        }
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
