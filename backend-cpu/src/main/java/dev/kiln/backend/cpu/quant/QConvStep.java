package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.linear.ConvGeometry;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.backend.cpu.qgemm.PackedLeft;
import dev.kiln.backend.cpu.qgemm.PackedRight;
import dev.kiln.backend.cpu.qgemm.QuantDepthwise;
import dev.kiln.backend.cpu.qgemm.QuantEpilogue;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantImagePacker;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * QLinearConv and ConvInteger (2-D, NCHW) as {@code W_g · unfold(X_g)} per group, with each group's weights packed
 * at compile time ({@code outC/G × inC/G·kH·kW}, zero points subtracted) and the image unfolded straight into the
 * int8 GEMM's packed B per image and group ({@link QuantImagePacker}); requantization runs in the GEMM's epilogue.
 * The weight panels (output channels) are split over the runner's threads. A depthwise convolution (one input
 * and one output channel per group) runs the direct kernel of {@link QuantDepthwise} instead, channel by channel.
 */
final class QConvStep implements Step {
    private final Node node;
    private final int input;
    private final int output;
    private final ConvGeometry geometry;
    /** Per group, packed for the GEMM; null for a depthwise convolution. */
    private final PackedLeft[] weights;
    /** Depthwise only: every channel's {@code kH·kW} weights, zero points subtracted; else null. */
    private final int[] depthwise;
    private final int groups;
    /** Per group; one for all channels in a depthwise convolution. */
    private final OutputKind[] kinds;
    private final boolean unsignedX;
    private final int xZeroPoint;
    private final VectorSpecies<Integer> species;

    QConvStep(Node node, int input, int output, ConvGeometry geometry, PackedLeft[] weights, int[] depthwise, int groups,
              OutputKind[] kinds, boolean unsignedX, int xZeroPoint, VectorSpecies<Integer> species) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.geometry = geometry;
        this.weights = weights;
        this.depthwise = depthwise;
        this.groups = groups;
        this.kinds = kinds;
        this.unsignedX = unsignedX;
        this.xZeroPoint = xZeroPoint;
        this.species = species;
    }

    /** One runner's scratch, kept while the input shape and the output buffer stay. */
    private final class State implements WorkerPool.RangeBody {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;
        QuantGemm[] gemms = new QuantGemm[0];
        ConvGeometry shaped;
        QuantImagePacker packer;
        QuantDepthwise direct;
        int[] padded;
        /** A full pixel block's packed B, and the last block's (a view of the same storage). */
        PackedRight unfolded;
        PackedRight lastBlock;
        MemorySegment epilogueTarget;
        QuantEpilogue[] epilogues;
        int blockPixels;
        // The product the workers compute now.
        int group;
        PackedRight block;
        int firstPixel;
        QuantEpilogue epilogue;

        State(ReusedOutput out) { this.out = out; }

        @Override
        public void run(int worker, int from, int to) { gemms[worker].multiply(weights[group], block, epilogue, from, to, firstPixel); }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory.output(0, kinds[0].dtype())); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        int channels = geometry.inC();
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new KilnException(node.describe() + ": input " + Arrays.toString(x.shape()) + " is not NCHW with " + channels + " channels");
        }
        prepare(s, frame.pool(), (int) x.dim(2), (int) x.dim(3));
        int batch = (int) x.dim(0), outC = geometry.outC(), pixels = s.shaped.outH() * s.shaped.outW();
        Tensor out = s.out.tensor(batch, outC, s.shaped.outH(), s.shaped.outW());
        int products = kinds.length;
        if (s.epilogueTarget != s.out.segment() || s.epilogues.length != batch * products) {
            s.epilogueTarget = s.out.segment();
            s.epilogues = new QuantEpilogue[batch * products];
            for (int b = 0; b < batch; b++) {
                for (int g = 0; g < products; g++) {
                    s.epilogues[b * products + g] = kinds[g].epilogue(s.epilogueTarget, ((long) b * outC + (long) g * outC / products) * pixels, pixels);
                }
            }
        }
        MemorySegment image = s.in.of(0, x);
        long imageBytes = (long) channels * x.dim(2) * x.dim(3);
        int inPerGroup = channels / groups;
        if (depthwise != null) {
            int taps = geometry.kH() * geometry.kW();
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < channels; c++) {
                    s.packer.pad(image, b * imageBytes, unsignedX, xZeroPoint, c, s.padded);
                    s.direct.channel(s.padded, depthwise, c * taps, c, s.epilogues[b]);
                }
            }
            frame.set(output, out);
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < groups; g++) {
                s.packer.pad(image, b * imageBytes, unsignedX, xZeroPoint, g * inPerGroup, s.padded);
                s.group = g;
                s.epilogue = s.epilogues[b * groups + g];
                int panels = (weights[g].m() + weights[g].mr() - 1) / weights[g].mr();
                for (int first = 0; first < pixels; first += s.blockPixels) {
                    s.firstPixel = first;
                    s.block = first + s.blockPixels <= pixels ? s.unfolded : s.lastBlock;
                    s.packer.pack(s.padded, first, s.block);
                    if (frame.pool().threads() == 1 || panels < 2) s.run(0, 0, panels);
                    else frame.pool().parallelFor(panels, s);
                }
            }
        }
        frame.set(output, out);
    }

    /** Sizes the runner's scratch for an {@code h × w} input (once per shape). */
    private void prepare(State s, WorkerPool pool, int h, int w) {
        if (s.gemms.length != pool.threads()) {
            s.gemms = new QuantGemm[pool.threads()];
            for (int t = 0; t < s.gemms.length; t++) s.gemms[t] = new QuantGemm(species);
        }
        if (s.shaped != null && s.shaped.inH() == h && s.shaped.inW() == w) return;
        ConvGeometry shaped = geometry.withInput(h, w);
        if (shaped.outH() < 1 || shaped.outW() < 1) {
            throw new KilnException(node.describe() + ": kernel " + shaped.kH() + "x" + shaped.kW() + " does not fit the padded " + h + "x" + w + " input");
        }
        int inPerGroup = geometry.inC() / groups;
        s.packer = new QuantImagePacker(shaped, inPerGroup);
        s.padded = new int[s.packer.paddedInts()];
        if (depthwise != null) s.direct = new QuantDepthwise(shaped, species);
        else {
            // Pixel blocks of one B block of the GEMM (a multiple of its panel width): packed and consumed in L2.
            int depth = inPerGroup * shaped.kH() * shaped.kW(), nr = s.gemms[0].nr();
            s.blockPixels = (int) Math.max(nr, QuantGemm.B_BLOCK_BYTES / Math.max(1L, (long) depth * Integer.BYTES) / nr * nr);
            s.blockPixels = Math.min(s.blockPixels, shaped.outH() * shaped.outW());
            s.unfolded = s.gemms[0].newRight(depth, s.blockPixels);
            int pixels = shaped.outH() * shaped.outW();
            s.lastBlock = s.unfolded.reshaped(depth, pixels % s.blockPixels == 0 ? s.blockPixels : pixels % s.blockPixels);
        }
        s.shaped = shaped;
        s.epilogueTarget = null;
    }

    @Override
    public String describe() {
        String how = depthwise != null ? "direct depthwise" : groups == 1 ? "GEMM" : "grouped GEMM";
        return node.describe() + ": int8 " + how + " " + geometry.outC() + "x?x" + geometry.depth() / groups;
    }
}
