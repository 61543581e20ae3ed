package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.PackedA;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A 2-D convolution as a GEMM per image: {@code Y[n] = act(W · unfold(X[n]) + bias (+ Z[n]))}, W [Cout, C·kh·kw]
 * packed once at compile time, the unfolded image packed straight from the image by {@link ImagePacker} (implicit
 * im2col) on the schedule of a {@link ConvPlan}, the epilogue (bias per output channel, activation,
 * residual) applied to each tile while it is in cache.
 */
final class ConvStep implements Step {
    private final Node node;
    private final int input;
    private final int residual;
    private final boolean residualFirst;
    private final int output;
    private final ConvGeometry base;
    private final PackedA weights;
    private final MemorySegment bias;
    private final FusedEpilogue.Activation activation;

    ConvStep(Node node, int input, int residual, boolean residualFirst, int output, ConvGeometry base, PackedA weights,
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

    /** What one runner keeps between runs: geometry, packing view and epilogues for the last shapes and buffers. */
    private static final class State {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        ConvGeometry geometry;
        MemorySegment residualFrom;
        FusedEpilogue[] epilogues = new FusedEpilogue[0];
        ConvPlan plan;
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
        if (s.geometry == null || s.geometry.inH() != h || s.geometry.inW() != w) s.geometry = base.withInput(h, w);
        ConvGeometry g = s.geometry;
        int p = g.outH() * g.outW(), k = g.depth(), outC = g.outC();
        if (g.outH() < 1 || g.outW() < 1) throw new KilnException(node.describe() + ": the kernel does not fit the " + h + "×" + w + " input");
        Tensor y = s.out.tensor(batch, outC, g.outH(), g.outW());
        MemorySegment xs = s.in.of(0, x);
        MemorySegment zs = residual == Slots.ABSENT ? null : s.in.of(1, (Tensor) frame.get(residual));
        FusedEpilogue[] epilogues = epilogues(s, batch, zs, (long) outC * p);
        if (s.plan == null || !s.plan.fits(frame, g)) s.plan = new ConvPlan(g, weights, frame);
        long imageIn = (long) base.inC() * h * w * Float.BYTES, imageOut = (long) outC * p * Float.BYTES;
        for (int n = 0; n < batch; n++) s.plan.run(frame, xs, n * imageIn, s.out.segment(), n * imageOut, epilogues[n]);
        frame.set(output, y);
    }

    /** One epilogue per image (the residual's offset differs), remade only when the batch or the residual buffer changes. */
    private FusedEpilogue[] epilogues(State s, int batch, MemorySegment z, long imageFloats) {
        if (s.epilogues.length == batch && s.residualFrom == z) return s.epilogues;
        FusedEpilogue[] e = new FusedEpilogue[batch];
        boolean trivial = bias == null && z == null && activation == FusedEpilogue.Activation.NONE;
        for (int n = 0; n < batch && !trivial; n++) {
            FusedEpilogue.Residual r = z == null ? null : new FusedEpilogue.Residual(z, n * imageFloats * Float.BYTES, (int) (imageFloats / base.outC()));
            e[n] = new FusedEpilogue(bias == null ? null : new FusedEpilogue.Bias(bias, 0, true), activation, r, residualFirst);
        }
        s.epilogues = e;
        s.residualFrom = z;
        return e;
    }

    @Override
    public String describe() {
        return node.describe() + ": GEMM convolution " + base.outC() + "×" + base.depth() + (base.isPointwise() ? " (pointwise)" : " (implicit im2col)");
    }
}
