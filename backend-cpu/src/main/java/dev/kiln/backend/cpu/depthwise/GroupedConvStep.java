package dev.kiln.backend.cpu.depthwise;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A grouped convolution with several input channels per group, NCHW, as one GEMM per image and group:
 * {@code Y[n, group] = act(W[group] · U + bias (+ Z))}, W[group] the group's {@code outPerGroup × inPerGroup·kh·kw}
 * rows of the weights as stored, U the group's input unfolded (each row one tap's shifted run of a channel's
 * {@link PhasePlanes}, so strides, dilation and padding need no special cases), the epilogue fused into the GEMM's
 * tiles. The GEMM splits itself over the runner's threads when the product is large enough.
 */
final class GroupedConvStep implements Step {
    private final Node node;
    private final int input;
    private final int residual;
    private final boolean residualFirst;
    private final int output;
    private final GroupedGeometry base;
    private final MemorySegment weights;
    private final MemorySegment bias;
    private final FusedEpilogue.Activation activation;

    GroupedConvStep(Node node, int input, int residual, boolean residualFirst, int output, GroupedGeometry base, MemorySegment weights,
                    MemorySegment bias, FusedEpilogue.Activation activation) {
        this.node = node;
        this.input = input;
        this.residual = residual;
        this.residualFirst = residualFirst;
        this.output = output;
        this.base = base;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
    }

    /** What one runner keeps between runs: the planes' layout and scratch, packing view and per-(image, group) epilogues. */
    private static final class State {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        PhasePlanes layout;
        MemorySegment planes;
        MemorySegment packedFrom;
        PackedMatrix packed;
        MemorySegment residualFrom;
        FusedEpilogue[] epilogues = new FusedEpilogue[0];
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor x = (Tensor) frame.get(input);
        if (x.rank() != 4 || x.dim(1) != base.inC()) {
            throw new KilnException(node.describe() + ": input " + Arrays.toString(x.shape()) + " is not [N, " + base.inC() + ", H, W]");
        }
        int batch = (int) x.dim(0), h = (int) x.dim(2), w = (int) x.dim(3);
        if (s.layout == null || s.layout.geometry().inH() != h || s.layout.geometry().inW() != w) {
            s.layout = PhasePlanes.whole(base.withInput(h, w));
            s.planes = Arena.ofAuto().allocate(s.layout.planesFloats() * Float.BYTES, 64);
            s.epilogues = new FusedEpilogue[0];
        }
        GroupedGeometry g = s.layout.geometry();
        int outH = g.outH(), outW = g.outW(), p = outH * outW, k = g.inPerGroup() * g.taps(), m = g.outPerGroup();
        if (outH < 1 || outW < 1) throw new KilnException(node.describe() + ": the kernel does not fit the " + h + "×" + w + " input");
        Tensor y = s.out.tensor(batch, g.outC(), outH, outW);
        MemorySegment xs = s.in.of(0, x);
        MemorySegment zs = residual == Slots.ABSENT ? null : s.in.of(1, (Tensor) frame.get(residual));
        Gemm gemm = frame.gemm();
        MemorySegment packedData = frame.scratch(Frame.Scratch.PACKED_B, gemm.packedBBytes(k, p));
        if (packedData != s.packedFrom || s.packed.k() != k || s.packed.n() != p) {
            s.packedFrom = packedData;
            s.packed = gemm.packedB(packedData, k, p);
        }
        FusedEpilogue[] epilogues = epilogues(s, batch, zs, g);
        MemorySegment unfolded = frame.scratch(Frame.Scratch.IM2COL, (long) k * p * Float.BYTES);
        long inPlane = (long) h * w * Float.BYTES, outPlane = (long) p * Float.BYTES;
        for (int n = 0; n < batch; n++) {
            for (int group = 0; group < g.groups(); group++) {
                long firstIn = (long) n * g.inC() + (long) group * g.inPerGroup();
                for (int i = 0; i < g.inPerGroup(); i++) unfold(s, xs, (firstIn + i) * inPlane, unfolded, (long) i * g.taps() * p);
                gemm.packB(unfolded, 0, p, false, s.packed);
                long firstOut = (long) n * g.outC() + (long) group * m;
                gemm.multiply(m, weights, (long) group * m * k * Float.BYTES, k, false, s.packed, s.out.segment(), firstOut * outPlane, p,
                        false, epilogues[n * g.groups() + group]);
            }
        }
        frame.set(output, y);
    }

    /** The channel at byte {@code channel} of {@code x}, one row of {@code p} floats per tap from float {@code row} of {@code dst}. */
    private static void unfold(State s, MemorySegment x, long channel, MemorySegment dst, long row) {
        PhasePlanes l = s.layout;
        GroupedGeometry g = l.geometry();
        int outH = g.outH(), outW = g.outW();
        l.fill(x, channel, 0, outH, s.planes);
        int[] taps = l.tapOffsets();
        for (int t = 0; t < taps.length; t++) {
            long to = (row + (long) t * outH * outW) * Float.BYTES;
            for (int oh = 0; oh < outH; oh++) {
                MemorySegment.copy(s.planes, ((long) taps[t] + (long) oh * l.rowLength()) * Float.BYTES, dst,
                        to + (long) oh * outW * Float.BYTES, (long) outW * Float.BYTES);
            }
        }
    }

    /** One epilogue per (image, group): the bias and residual offsets differ; remade when the batch or residual buffer changes. */
    private FusedEpilogue[] epilogues(State s, int batch, MemorySegment z, GroupedGeometry g) {
        int count = batch * g.groups();
        if (s.epilogues.length == count && s.residualFrom == z) return s.epilogues;
        FusedEpilogue[] e = new FusedEpilogue[count];
        int m = g.outPerGroup();
        long plane = (long) g.outH() * g.outW();
        boolean trivial = bias == null && z == null && activation == FusedEpilogue.Activation.NONE;
        for (int i = 0; i < count && !trivial; i++) {
            int group = i % g.groups();
            FusedEpilogue.Bias b = bias == null ? null : new FusedEpilogue.Bias(bias, (long) group * m * Float.BYTES, true);
            long firstOut = (long) (i / g.groups()) * g.outC() + (long) group * m;
            FusedEpilogue.Residual r = z == null ? null : new FusedEpilogue.Residual(z, firstOut * plane * Float.BYTES, (int) plane);
            e[i] = new FusedEpilogue(b, activation, r, residualFirst);
        }
        s.epilogues = e;
        s.residualFrom = z;
        return e;
    }

    @Override
    public String describe() {
        return node.describe() + ": grouped GEMM convolution, " + base.groups() + " groups of " + base.outPerGroup() + "×"
                + base.inPerGroup() * base.taps();
    }
}
