package dev.kiln.backend.cpu.depthwise;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.kernels.FloatLanes;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A depthwise convolution (one input channel per group, {@code outPerGroup} outputs from each), NCHW, per image,
 * input channel and band of output rows. MobileNet's 3×3 cases run {@link FlatDepthwise3x3} (stride 1),
 * {@link StridedRowDepthwise3x3} (stride 2) and {@link SplitDepthwise3x3} (stride 2, rows narrower than a vector); any other shape fills the channel's {@link PhasePlanes} once into the worker's scratch and runs
 * each of its output channels as one {@link DepthwiseKernel} pass plus a copy of the band's rows into the output.
 * Both keep bias and a clamp activation in registers; a residual or another activation is applied by a
 * {@link FusedEpilogue} over the band's rows while they are in cache. The (image, channel, band) units are split
 * over the runner's threads in one call per step.
 */
final class DepthwiseStep implements Step {
    /** FLOP per thread below which one thread runs the whole step (about 4 µs of work; waking a worker costs ~1–2). */
    static final long PARALLEL_MIN_FLOPS = 1L << 17;
    /** Output floats per unit of work for the kernels that read the input in place (this only sets the split's grain). */
    private static final int DIRECT_BAND_FLOATS = 8192;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Node node;
    private final int input;
    private final int residual;
    private final boolean residualFirst;
    private final int output;
    private final GroupedGeometry base;
    private final MemorySegment weights;
    private final MemorySegment bias;
    private final FusedEpilogue.Activation activation;
    private final DepthwiseKernel kernel;
    private final FlatDepthwise3x3 flat3x3;
    private final StridedRowDepthwise3x3 strided3x3;
    private final SplitDepthwise3x3 split3x3;

    DepthwiseStep(Node node, int input, int residual, boolean residualFirst, int output, GroupedGeometry base, MemorySegment weights,
                  MemorySegment bias, FusedEpilogue.Activation activation) {
        if (base.inPerGroup() != 1) throw new IllegalArgumentException("not depthwise: " + base);
        this.node = node;
        this.input = input;
        this.residual = residual;
        this.residualFirst = residualFirst;
        this.output = output;
        this.base = base;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.kernel = new DepthwiseKernel(FloatVector.SPECIES_PREFERRED);
        this.flat3x3 = new FlatDepthwise3x3(FloatLanes.of(FloatVector.SPECIES_PREFERRED));
        this.strided3x3 = new StridedRowDepthwise3x3(FloatLanes.of(FloatVector.SPECIES_PREFERRED));
        this.split3x3 = new SplitDepthwise3x3(FloatLanes.of(FloatVector.SPECIES_PREFERRED));
    }

    /** One runner's layout for the last input size, per-worker scratch, and the parallel body with its operands. */
    private final class State implements WorkerPool.RangeBody {
        final InputSegments in = new InputSegments(2);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        GroupedGeometry geometry;
        /** The planes' layout, or null when {@link FlatDepthwise3x3}, {@link StridedRowDepthwise3x3} or {@link SplitDepthwise3x3} runs. */
        PhasePlanes layout;
        boolean strided;
        boolean split;
        /** {@link FlatDepthwise3x3}'s column masks for this width, or null when another kernel runs. */
        FlatDepthwise3x3.Columns columns;
        /** Per worker: the scratch of {@link SplitDepthwise3x3} or of {@link FlatDepthwise3x3} when it copies, else null. */
        MemorySegment[] scratch = new MemorySegment[0];
        int bandRows;
        int bands;
        MemorySegment[] planes = new MemorySegment[0];
        MemorySegment[] flat = new MemorySegment[0];
        /** Residual and non-clamp activation over the output rows, or null when the kernel's clamp is all. */
        FusedEpilogue rowEpilogue;
        boolean epilogueMade;
        MemorySegment residualFrom;
        MemorySegment x;
        MemorySegment y;

        void prepare(int h, int w, int threads) {
            if (geometry == null || geometry.inH() != h || geometry.inW() != w) {
                geometry = base.withInput(h, w);
                // Stride 2 with rows narrower than a vector: the split kernel; wider rows read the input in place.
                split = SplitDepthwise3x3.handles(geometry) && geometry.outW() < FloatVector.SPECIES_PREFERRED.length();
                strided = !split && StridedRowDepthwise3x3.handles(geometry);
                boolean flat = FlatDepthwise3x3.handles(geometry);
                columns = flat ? FlatDepthwise3x3.Columns.of(w, FloatVector.SPECIES_PREFERRED.length()) : null;
                layout = flat || strided || split ? null : PhasePlanes.inBands(geometry);
                // A copied or split plane is one unit of work: it is copied once and computed whole.
                bandRows = split || flat && FlatDepthwise3x3.copies(geometry) ? geometry.outH()
                        : layout == null ? Math.max(1, Math.min(geometry.outH(), DIRECT_BAND_FLOATS / w)) : layout.bandRows();
                bands = (geometry.outH() + bandRows - 1) / bandRows;
                planes = new MemorySegment[0];
                scratch = new MemorySegment[0];
                epilogueMade = false;
            }
            if ((columns != null || split) && scratch.length != threads) {
                scratch = new MemorySegment[threads];
                long floats = split ? SplitDepthwise3x3.scratchFloats(geometry) : FlatDepthwise3x3.copies(geometry) ? FlatDepthwise3x3.scratchFloats(geometry) : 0;
                for (int i = 0; i < threads && floats > 0; i++) scratch[i] = Arena.ofAuto().allocate(floats * Float.BYTES, 64);
            }
            if (layout != null && planes.length != threads) {
                planes = new MemorySegment[threads];
                flat = new MemorySegment[threads];
                for (int i = 0; i < threads; i++) {
                    planes[i] = Arena.ofAuto().allocate(layout.planesFloats() * Float.BYTES, 64);
                    flat[i] = Arena.ofAuto().allocate(layout.flatFloats() * Float.BYTES, 64);
                }
            }
        }

        @Override
        public void run(int worker, int from, int to) {
            GroupedGeometry g = geometry;
            int channels = g.groups(), per = g.outPerGroup(), outH = g.outH(), outW = g.outW();
            long inPlane = (long) g.inH() * g.inW() * Float.BYTES, outPlane = (long) outH * outW * Float.BYTES;
            boolean clampHere = rowEpilogue == null;
            float lo = clampHere ? ((FusedEpilogue.Clip) activation).min() : Float.NEGATIVE_INFINITY;
            float hi = clampHere ? ((FusedEpilogue.Clip) activation).max() : Float.POSITIVE_INFINITY;
            for (int u = from; u < to; u++) {
                int band = u % bands, image = u / bands / channels, c = u / bands % channels;
                int oh0 = band * bandRows, rows = Math.min(bandRows, outH - oh0);
                long channel = (image * (long) channels + c) * inPlane;
                if (layout != null) layout.fill(x, channel, oh0, rows, planes[worker]);
                for (int m = 0; m < per; m++) {
                    int o = c * per + m;
                    float b = bias == null ? 0f : bias.get(F, o * 4L);
                    long w0 = (long) o * g.taps() * Float.BYTES, plane = (image * (long) g.outC() + o) * outPlane;
                    if (split) {
                        split3x3.run(g, x, channel, scratch[worker], weights, w0, b, lo, hi, y, plane);
                    } else if (strided) {
                        strided3x3.run(x, channel, g.inH(), g.inW(), g.padTop(), outW, weights, w0, b, lo, hi, y, plane, oh0, rows);
                    } else if (layout == null) {
                        flat3x3.run(x, channel, g.inH(), g.inW(), g.padTop(), columns, scratch[worker], weights, w0, b, lo, hi, y, plane, oh0, rows);
                    } else {
                        kernel.run(planes[worker], layout.tapOffsets(), weights, w0, b, lo, hi, flat[worker], rows * layout.rowLength());
                        kernel.copyRows(flat[worker], layout.rowLength(), y, plane + (long) oh0 * outW * Float.BYTES, outW, rows);
                    }
                    if (!clampHere) {
                        rowEpilogue.apply(y, plane + (long) oh0 * outW * Float.BYTES, outW, (image * g.outC() + o) * outH + oh0, 0, rows, outW);
                    }
                }
            }
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor xt = (Tensor) frame.get(input);
        if (xt.rank() != 4 || xt.dim(1) != base.inC()) {
            throw new KilnException(node.describe() + ": input " + Arrays.toString(xt.shape()) + " is not [N, " + base.inC() + ", H, W]");
        }
        int batch = (int) xt.dim(0), h = (int) xt.dim(2), w = (int) xt.dim(3);
        WorkerPool pool = frame.pool();
        s.prepare(h, w, pool.threads());
        GroupedGeometry g = s.geometry;
        if (g.outH() < 1 || g.outW() < 1) throw new KilnException(node.describe() + ": the kernel does not fit the " + h + "×" + w + " input");
        Tensor yt = s.out.tensor(batch, g.outC(), g.outH(), g.outW());
        s.x = s.in.of(0, xt);
        s.y = s.out.segment();
        MemorySegment z = residual == Slots.ABSENT ? null : s.in.of(1, (Tensor) frame.get(residual));
        if (!s.epilogueMade || z != s.residualFrom) {
            s.epilogueMade = true;
            s.residualFrom = z;
            // The output as one matrix of rows outW long: row (image·outC + channel)·outH + oh, so one residual view serves all.
            FusedEpilogue.Residual r = z == null ? null : new FusedEpilogue.Residual(z, 0, g.outW());
            s.rowEpilogue = r == null && activation instanceof FusedEpilogue.Clip ? null : new FusedEpilogue(null, activation, r, residualFirst);
        }
        int units = batch * g.groups() * s.bands;
        long flops = 2L * batch * g.outC() * g.outH() * g.outW() * g.taps();
        if (pool.threads() > 1 && flops >= PARALLEL_MIN_FLOPS * pool.threads()) pool.parallelFor(units, s);
        else s.run(0, 0, units);
        frame.set(output, yt);
    }

    @Override
    public String describe() {
        return node.describe() + ": depthwise convolution " + base.outC() + " channels " + base.kH() + "×" + base.kW()
                + " stride " + base.strideH() + "×" + base.strideW();
    }
}
