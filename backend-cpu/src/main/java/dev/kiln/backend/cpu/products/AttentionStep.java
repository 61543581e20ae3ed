package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * kiln:Attention ({@code softmax(scale·Q·Kt + mask)·V}, see {@code dev.kiln.ir.ops.kiln.AttentionInference}) by
 * {@link AttentionKernel}, one query row per unit of work over every batch and head: each thread holds one row of
 * scores. Rows go over the pool when every thread gets {@link Gemm#PARALLEL_MIN_FLOPS}. A mask whose last two axes
 * would widen the scores (a row of masks over a single query, say) is left to the reference kernel.
 */
final class AttentionStep implements Step {
    private final Node node;
    private final Graph graph;
    private final int[] inputs;
    private final int output;
    private final float scale;
    private final VectorSpecies<Float> species;
    /** Kernels by vector width, 128 bits up to {@link #species}, made when a head's shape first asks for them. */
    private final AttentionKernel[] kernels = new AttentionKernel[3];
    private final int threads;

    AttentionStep(Node node, Graph graph, int[] inputs, int output, float scale, VectorSpecies<Float> species, int threads) {
        this.node = node;
        this.graph = graph;
        this.inputs = inputs;
        this.output = output;
        this.scale = scale;
        this.species = species;
        this.threads = threads;
    }

    private final class State {
        final InputSegments in = new InputSegments(4);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        long[][] shapes;
        boolean reference;
        long[] outShape, qOff, ktOff, vOff, maskOff;
        long maskRowStride;
        int sq;
        AttentionKernel.Shape head;
        AttentionKernel kernel;
        final MemorySegment[] scores = new MemorySegment[threads];
        final Tensor[] tensors = new Tensor[4];
        MemorySegment q, kt, v, mask, y;
        final WorkerPool.RangeBody rows = this::rows;

        void rows(int worker, int from, int to) {
            MemorySegment s = scores[worker];
            AttentionKernel.Shape h = head;
            AttentionKernel kernel = this.kernel;
            for (int u = from; u < to; u++) {
                int t = u / sq, i = u - t * sq;
                kernel.row(h, q, qOff[t] + (long) i * h.d(), kt, ktOff[t], v, vOff[t],
                        mask, mask == null ? 0 : maskOff[t] + i * maskRowStride, y, (long) u * h.dv(), s);
            }
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor[] t = s.tensors;
        for (int i = 0; i < 4; i++) t[i] = i < inputs.length && inputs[i] >= 0 ? (Tensor) frame.get(inputs[i]) : null;
        if (!sameShapes(s.shapes, t)) shapes(s, t);
        if (s.reference) {
            frame.set(output, ReferenceFallback.run(node, graph, inputs, frame));
            Arrays.fill(t, null);
            return;
        }
        for (int i = 0; i < 4; i++) {
            if (t[i] == null) continue;
            if (t[i].dtype() != DType.F32) throw new KilnException(node.describe() + ": input " + i + " is " + t[i].dtype() + ", expected f32");
        }
        Tensor y = s.out.tensor(s.outShape);
        int units = s.qOff.length * s.sq;
        if (units > 0 && s.head.dv() > 0) {
            s.q = s.in.of(0, t[0]);
            s.kt = s.in.of(1, t[1]);
            s.v = s.in.of(2, t[2]);
            s.mask = t[3] == null ? null : s.in.of(3, t[3]);
            s.y = s.out.segment();
            long flops = 2L * units * s.head.sk() * (s.head.d() + s.head.dv());
            if (threads > 1 && flops >= Gemm.PARALLEL_MIN_FLOPS * threads) frame.pool().parallelFor(units, s.rows);
            else s.rows(0, 0, units);
            s.q = s.kt = s.v = s.mask = s.y = null;
        }
        Arrays.fill(t, null);
        frame.set(output, y);
    }

    private void shapes(State s, Tensor[] t) {
        s.shapes = new long[4][];
        for (int i = 0; i < 4; i++) s.shapes[i] = t[i] == null ? null : t[i].shape();
        long[] q = s.shapes[0], kt = s.shapes[1], v = s.shapes[2];
        if (q.length < 2 || kt.length < 2 || v.length < 2) throw new KilnException(node.describe() + ": Q, Kt and V need rank >= 2");
        long sq = q[q.length - 2], d = q[q.length - 1], sk = kt[kt.length - 1], dv = v[v.length - 1];
        if (kt[kt.length - 2] != d || v[v.length - 2] != sk) {
            throw new KilnException(node.describe() + ": Q " + Arrays.toString(q) + ", Kt " + Arrays.toString(kt) + " and V " + Arrays.toString(v) + " do not fit");
        }
        long[] mask = s.shapes[3] == null ? null : padded(s.shapes[3]);
        long[] batch = mask == null ? BatchOffsets.batchShape(2, q, kt, v) : BatchOffsets.batchShape(2, q, kt, v, mask);
        s.reference = batch == null || mask != null && (mask[mask.length - 2] != 1 && mask[mask.length - 2] != sq
                || mask[mask.length - 1] != 1 && mask[mask.length - 1] != sk);
        if (s.reference) return;
        s.outShape = Arrays.copyOf(batch, batch.length + 2);
        s.outShape[batch.length] = sq;
        s.outShape[batch.length + 1] = dv;
        s.qOff = BatchOffsets.offsets(batch, q, 2);
        s.ktOff = BatchOffsets.offsets(batch, kt, 2);
        s.vOff = BatchOffsets.offsets(batch, v, 2);
        long maskColumns = mask == null ? 1 : mask[mask.length - 1];
        s.maskOff = mask == null ? null : BatchOffsets.offsets(batch, mask, 2);
        s.maskRowStride = mask == null || mask[mask.length - 2] == 1 ? 0 : maskColumns;
        s.sq = Math.toIntExact(sq);
        s.kernel = kernelFor(Math.max(sk, dv));
        s.head = new AttentionKernel.Shape(Math.toIntExact(d), Math.toIntExact(sk), Math.toIntExact(dv), scale, maskColumns == 1 ? 0 : 1);
        for (int w = 0; w < threads; w++) {
            if (s.scores[w] == null || s.scores[w].byteSize() < sk * Float.BYTES) s.scores[w] = Arena.ofAuto().allocate(Math.max(sk, 16) * Float.BYTES, 64);
        }
    }

    /**
     * The kernel at the step's species, narrowed (to 128 bits at least) while its vectors are longer than the rows
     * it runs along, so short heads run in vectors rather than scalar tails. A model's heads share one width, so a
     * running backend uses one kernel and its vector code stays monomorphic.
     */
    private synchronized AttentionKernel kernelFor(long width) {
        VectorSpecies<Float> s = species;
        while (s.length() > width && s.vectorBitSize() > 128) s = VectorSpecies.of(float.class, VectorShape.forBitSize(s.vectorBitSize() / 2));
        int slot = Integer.numberOfTrailingZeros(s.vectorBitSize() / 128);
        if (kernels[slot] == null) kernels[slot] = new AttentionKernel(s, species);
        return kernels[slot];
    }

    /** A mask of rank below 2 as the [1, n] (or [1, 1]) it broadcasts as. */
    private static long[] padded(long[] mask) {
        if (mask.length >= 2) return mask;
        return mask.length == 1 ? new long[] {1, mask[0]} : new long[] {1, 1};
    }

    private static boolean sameShapes(long[][] shapes, Tensor[] t) {
        if (shapes == null) return false;
        for (int i = 0; i < 4; i++) {
            if (t[i] == null ? shapes[i] != null : !BatchOffsets.sameShape(shapes[i], t[i])) return false;
        }
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": attention rows (vectors up to " + species.vectorBitSize() + " bits, narrower for short heads)"; }
}
