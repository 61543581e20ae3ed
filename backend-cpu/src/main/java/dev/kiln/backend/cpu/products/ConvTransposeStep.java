package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.ops.onnx.ConvGeometry;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * 2-D ConvTranspose (or kiln:FusedConvTranspose), group 1, with constant weights {@code W [C, M, kh, kw]}: per image, the GEMM
 * {@code cols[H·W, M·kh·kw] = Xᵀ · W} (W packed once, at compile time, as a {@code C × M·kh·kw} matrix; X read
 * transposed in place) into the runner's scratch, then col2im adds each input pixel's {@code M·kh·kw} values into
 * the output window it spreads over, on top of the bias (or zeros) the output starts from. A fused activation and
 * residual then run over each finished image while it is still in cache.
 */
final class ConvTransposeStep implements Step {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final Node node;
    private final int input;
    private final int output;
    private final PackedMatrix weights;
    private final MemorySegment bias;
    private final int channels, outChannels, kh, kw;
    private final FusedEpilogue.Activation activation;
    /** Slot of the residual Z, or negative. */
    private final int residual;
    private final boolean residualFirst;

    ConvTransposeStep(Node node, int input, int output, PackedMatrix weights, MemorySegment bias, int channels, int outChannels, int kh, int kw,
                      FusedEpilogue.Activation activation, int residual, boolean residualFirst) {
        this.node = node;
        this.input = input;
        this.activation = activation;
        this.residual = residual;
        this.residualFirst = residualFirst;
        this.output = output;
        this.weights = weights;
        this.bias = bias;
        this.channels = channels;
        this.outChannels = outChannels;
        this.kh = kh;
        this.kw = kw;
    }

    private static final class State {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        long[] inShape, outShape;
        int sh, sw, dh, dw, padTop, padLeft;
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.dtype() != DType.F32) throw new KilnException(node.describe() + ": input is " + x.dtype() + ", expected f32");
        if (!BatchOffsets.sameShape(s.inShape, x)) geometry(s, x.shape());
        Tensor y = s.out.tensor(s.outShape);
        int batch = (int) s.inShape[0], h = (int) s.inShape[2], w = (int) s.inShape[3];
        int pixels = h * w, columns = weights.n();
        long imageOut = s.outShape[2] * s.outShape[3];
        MemorySegment src = s.in.of(0, x), dst = s.out.segment();
        MemorySegment cols = frame.scratch(Frame.Scratch.IM2COL, (long) pixels * columns * Float.BYTES);
        MemorySegment z = residual < 0 ? null : residualSegment(s, (Tensor) frame.get(residual));
        boolean epilogue = z != null || activation != FusedEpilogue.Activation.NONE;
        for (int n = 0; n < batch; n++) {
            long yImage = (long) n * outChannels * imageOut;
            fill(dst, yImage, imageOut);
            if (pixels == 0) {
                if (epilogue) epilogue(dst, z, yImage, outChannels * imageOut);
                continue;
            }
            frame.gemm().multiply(pixels, src, (long) n * channels * pixels * Float.BYTES, pixels, true, weights, cols, 0, columns, false, null);
            scatter(s, cols, dst, yImage, h, w);
            if (epilogue) epilogue(dst, z, yImage, outChannels * imageOut);
        }
        frame.set(output, y);
    }

    /** Each output channel starts at its bias, or zero. */
    private void fill(MemorySegment y, long yImage, long imageOut) {
        for (int m = 0; m < outChannels; m++) {
            float b = bias == null ? 0f : bias.getAtIndex(FLOAT, m);
            long from = yImage + m * imageOut;
            for (long i = from; i < from + imageOut; i++) y.setAtIndex(FLOAT, i, b);
        }
    }

    /** col2im: input pixel (ih, iw)'s value for (m, ki, kj) lands at output (ih·sh − pad + ki·dh, iw·sw − pad + kj·dw). */
    private void scatter(State s, MemorySegment cols, MemorySegment y, long yImage, int h, int w) {
        int oh = (int) s.outShape[2], ow = (int) s.outShape[3], columns = weights.n(), taps = kh * kw;
        for (int ih = 0; ih < h; ih++) {
            for (int iw = 0; iw < w; iw++) {
                long row = (long) (ih * w + iw) * columns;
                for (int ki = 0; ki < kh; ki++) {
                    int r = ih * s.sh - s.padTop + ki * s.dh;
                    if (r < 0 || r >= oh) continue;
                    for (int kj = 0; kj < kw; kj++) {
                        int c = iw * s.sw - s.padLeft + kj * s.dw;
                        if (c < 0 || c >= ow) continue;
                        long from = row + ki * kw + kj, to = yImage + (long) r * ow + c;
                        for (int m = 0; m < outChannels; m++, from += taps, to += (long) oh * ow) {
                            y.setAtIndex(FLOAT, to, y.getAtIndex(FLOAT, to) + cols.getAtIndex(FLOAT, from));
                        }
                    }
                }
            }
        }
    }

    private MemorySegment residualSegment(State s, Tensor z) {
        if (z.dtype() != DType.F32 || !BatchOffsets.sameShape(s.outShape, z)) {
            throw new KilnException(node.describe() + ": residual " + z.type() + " does not match the output " + java.util.Arrays.toString(s.outShape));
        }
        return s.in.of(1, z);
    }

    /** {@code y = act(y + z)} or {@code act(y) + z} over one image ({@code count} floats from {@code from}). */
    private void epilogue(MemorySegment y, MemorySegment z, long from, long count) {
        long i = from, end = from + count;
        for (long upper = from + S.loopBound(count); i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromMemorySegment(S, y, i * Float.BYTES, LE);
            FloatVector r = z == null ? null : FloatVector.fromMemorySegment(S, z, i * Float.BYTES, LE);
            if (r != null && residualFirst) v = v.add(r);
            v = activation.apply(v);
            if (r != null && !residualFirst) v = v.add(r);
            v.intoMemorySegment(y, i * Float.BYTES, LE);
        }
        for (; i < end; i++) {
            float v = y.getAtIndex(FLOAT, i), r = z == null ? 0f : z.getAtIndex(FLOAT, i);
            if (residualFirst) v += r;
            v = activation.apply(v);
            if (!residualFirst) v += r;
            y.setAtIndex(FLOAT, i, v);
        }
    }

    private void geometry(State s, long[] in) {
        if (in.length != 4 || in[1] != channels) {
            throw new KilnException(node.describe() + ": input " + java.util.Arrays.toString(in) + " does not fit " + channels + " channels");
        }
        ConvGeometry g;
        try {
            g = ConvGeometry.transposed(new long[] {in[2], in[3]}, new long[] {kh, kw}, node::attribute);
        } catch (IllegalArgumentException e) {
            throw new KilnException(node.describe() + ": " + e.getMessage());
        }
        s.outShape = new long[] {in[0], outChannels, g.output()[0], g.output()[1]};
        s.sh = (int) g.strides()[0];
        s.sw = (int) g.strides()[1];
        s.dh = (int) g.dilations()[0];
        s.dw = (int) g.dilations()[1];
        s.padTop = (int) g.padsBegin()[0];
        s.padLeft = (int) g.padsBegin()[1];
        s.inShape = in;
    }

    @Override
    public String describe() {
        return node.describe() + ": GEMM + col2im, packed K=" + weights.k() + " N=" + weights.n();
    }
}
