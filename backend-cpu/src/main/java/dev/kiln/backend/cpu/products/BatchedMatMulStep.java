package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.gemm.FusedEpilogue;
import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@code Y = A·B (+ bias)} where B is computed at run time: MatMul of two tensors of rank ≥ 2 (batch axes
 * broadcast as NumPy's), and Gemm (alpha 1, a per-column bias at beta 1) with a computed B. B is packed per run
 * into scratch for the packed GEMM. When B has one matrix for every batch and A is contiguous, the batches fold
 * into A's rows (one GEMM); otherwise each batch packs its B and multiplies. Batches too small for the GEMM to split
 * ({@link Gemm#PARALLEL_MIN_FLOPS} per thread) but many enough to share go over the pool one batch per unit, each
 * thread with its own single-threaded GEMM and packing scratch.
 */
final class BatchedMatMulStep implements Step {
    private final Node node;
    private final Graph graph;
    private final int inputA;
    private final int inputB;
    private final int inputBias;
    private final int output;
    private final boolean transA;
    private final boolean transB;
    private final int threads;

    /** How Gemm's C broadcasts over the product. */
    private static final int PER_COLUMN = 0, PER_ROW = 1, MATRIX = 2;

    /** @param inputBias slot of Gemm's C (one value per column) or negative; transA/transB only for Gemm (rank 2) */
    BatchedMatMulStep(Node node, Graph graph, int inputA, int inputB, int inputBias, int output, boolean transA, boolean transB, int threads) {
        this.node = node;
        this.graph = graph;
        this.inputA = inputA;
        this.inputB = inputB;
        this.inputBias = inputBias;
        this.output = output;
        this.transA = transA;
        this.transB = transB;
        this.threads = threads;
    }

    /** One runner's buffers and the operands of the run in progress (read by the pool's threads). */
    private final class State {
        final InputSegments in = new InputSegments(3);
        final ReusedOutput out;

        State(StepMemory memory) { out = memory.output(0); }
        long[] aShape, bShape, outShape;
        long[] aOffsets, bOffsets;
        FusedEpilogue epilogue;
        MemorySegment epilogueC;
        int epilogueKind;
        PackedMatrix packed;
        final Gemm[] gemms = new Gemm[threads];
        final PackedMatrix[] threadPacked = new PackedMatrix[threads];
        MemorySegment a, b, c;
        int m, k, n;
        final WorkerPool.RangeBody byBatch = this::batches;

        /** Batches {@code [from, to)} on {@code worker}'s own GEMM. */
        void batches(int worker, int from, int to) {
            Gemm gemm = gemms[worker];
            PackedMatrix packedB = threadPacked[worker];
            for (int t = from; t < to; t++) multiplyBatch(gemm, packedB, t);
        }

        void multiplyBatch(Gemm gemm, PackedMatrix packedB, int t) {
            gemm.packB(b, bOffsets[t] * Float.BYTES, n, false, packedB);
            gemm.multiply(m, a, aOffsets[t] * Float.BYTES, k, false, packedB, c, (long) t * m * n * Float.BYTES, n, false, null);
        }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor a = (Tensor) frame.get(inputA), b = (Tensor) frame.get(inputB);
        if (!BatchOffsets.sameShape(s.aShape, a) || !BatchOffsets.sameShape(s.bShape, b)) shapes(s, a.shape(), b.shape());
        Tensor y = s.out.tensor(s.outShape);
        s.a = s.in.of(0, a);
        s.b = s.in.of(1, b);
        s.c = s.out.segment();
        boolean done = true;
        if (y.size() > 0) {
            if (inputBias >= 0) done = gemmWithBias(frame, s, (Tensor) frame.get(inputBias));
            else if (s.outShape.length == 2 || allZero(s.bOffsets) && contiguous(s.aOffsets, s.m * s.k)) folded(frame, s);
            else batched(frame, s);
        }
        s.a = s.b = s.c = null;
        frame.set(output, done ? y : ReferenceFallback.run(node, graph, new int[] {inputA, inputB, inputBias}, frame));
    }

    /**
     * Gemm: one product, B packed with its transposition, C in the tile epilogue — a bias per column ({@code [n]} or
     * {@code [1, n]}), per row ({@code [m, 1]}) or a whole {@code [m, n]} matrix added as a residual. Returns false
     * for another broadcast of C (a scalar over several columns), which the reference kernel then computes.
     */
    private boolean gemmWithBias(Frame frame, State s, Tensor c) {
        if (c.dtype() != DType.F32) throw new KilnException(node.describe() + ": C is " + c.dtype() + ", expected f32");
        int kind = c.size() == s.n && (c.rank() < 2 || c.rank() == 2 && c.dim(0) == 1) ? PER_COLUMN
                : c.rank() == 2 && c.dim(0) == s.m && c.dim(1) == 1 ? PER_ROW
                : c.rank() == 2 && c.dim(0) == s.m && c.dim(1) == s.n ? MATRIX : -1;
        if (kind < 0) return false;
        MemorySegment cSegment = s.in.of(2, c);
        if (cSegment != s.epilogueC || kind != s.epilogueKind) {
            s.epilogueC = cSegment;
            s.epilogueKind = kind;
            s.epilogue = kind == MATRIX
                    ? new FusedEpilogue(null, FusedEpilogue.Activation.NONE, new FusedEpilogue.Residual(cSegment, 0, s.n), true)
                    : new FusedEpilogue(new FusedEpilogue.Bias(cSegment, 0, kind == PER_ROW), FusedEpilogue.Activation.NONE, null, false);
        }
        PackedMatrix packedB = packedScratch(frame, s);
        frame.gemm().packB(s.b, 0, transB ? s.k : s.n, transB, packedB);
        frame.gemm().multiply(s.m, s.a, 0, transA ? s.m : s.k, transA, packedB, s.c, 0, s.n, false, s.epilogue);
        return true;
    }

    /** One B for every batch and A's batches back to back: a single GEMM over all of A's rows. */
    private void folded(Frame frame, State s) {
        PackedMatrix packedB = packedScratch(frame, s);
        frame.gemm().packB(s.b, s.bOffsets[0] * Float.BYTES, transB ? s.k : s.n, transB, packedB);
        int rows = Math.toIntExact((long) s.m * s.aOffsets.length);
        frame.gemm().multiply(rows, s.a, s.aOffsets[0] * Float.BYTES, transA ? s.m : s.k, transA, packedB, s.c, 0, s.n, false, null);
    }

    private void batched(Frame frame, State s) {
        int batches = s.aOffsets.length;
        long flops = 2L * s.m * s.n * s.k;
        boolean splitBatches = threads > 1 && flops < Gemm.PARALLEL_MIN_FLOPS * threads
                && flops * batches >= Gemm.PARALLEL_MIN_FLOPS * threads;
        if (!splitBatches) {
            PackedMatrix packedB = packedScratch(frame, s);
            for (int t = 0; t < batches; t++) s.multiplyBatch(frame.gemm(), packedB, t);
            return;
        }
        for (int w = 0; w < threads; w++) {
            if (s.gemms[w] == null) s.gemms[w] = new Gemm(Gemm.preferredSpecies(), new WorkerPool(1));
            PackedMatrix p = s.threadPacked[w];
            if (p == null || p.k() != s.k || p.n() != s.n) {
                s.threadPacked[w] = p != null && p.data().byteSize() >= s.gemms[w].packedBBytes(s.k, s.n)
                        ? s.gemms[w].packedB(p.data(), s.k, s.n) : s.gemms[w].allocatePackedB(Arena.ofAuto(), s.k, s.n);
            }
        }
        frame.pool().parallelFor(batches, s.byBatch);
    }

    /** The runner's shared packed-B scratch as a packed {@code k × n} matrix, remade only when it moved or resized. */
    private static PackedMatrix packedScratch(Frame frame, State s) {
        MemorySegment data = frame.scratch(Frame.Scratch.PACKED_B, frame.gemm().packedBBytes(s.k, s.n));
        PackedMatrix p = s.packed;
        if (p == null || p.data() != data || p.k() != s.k || p.n() != s.n) s.packed = p = frame.gemm().packedB(data, s.k, s.n);
        return p;
    }

    private void shapes(State s, long[] a, long[] b) {
        int ra = a.length, rb = b.length;
        if (ra < 2 || rb < 2) throw new KilnException(node.describe() + ": operands need rank >= 2");
        long m = transA ? a[1] : a[ra - 2], k = transA ? a[0] : a[ra - 1];
        long kb = transB ? b[1] : b[rb - 2], n = transB ? b[0] : b[rb - 1];
        long[] batch = BatchOffsets.batchShape(2, a, b);
        if (k != kb || batch == null) {
            throw new KilnException(node.describe() + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not multiply");
        }
        long[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        s.m = Math.toIntExact(m);
        s.k = Math.toIntExact(k);
        s.n = Math.toIntExact(n);
        s.aOffsets = BatchOffsets.offsets(batch, a, 2);
        s.bOffsets = BatchOffsets.offsets(batch, b, 2);
        s.outShape = outShape;
        s.aShape = a;
        s.bShape = b;
        s.packed = null;
    }

    private static boolean allZero(long[] offsets) {
        for (long o : offsets) if (o != 0) return false;
        return true;
    }

    private static boolean contiguous(long[] offsets, long matrix) {
        for (int t = 0; t < offsets.length; t++) if (offsets[t] != t * matrix) return false;
        return true;
    }

    @Override
    public String describe() { return node.describe() + ": batched GEMM, B packed per run"; }
}
