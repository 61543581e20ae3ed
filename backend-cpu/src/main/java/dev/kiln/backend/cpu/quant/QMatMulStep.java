package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.backend.cpu.qgemm.PackedLeft;
import dev.kiln.backend.cpu.qgemm.PackedRight;
import dev.kiln.backend.cpu.qgemm.QuantEpilogue;
import dev.kiln.backend.cpu.qgemm.QuantGemm;
import dev.kiln.backend.cpu.qgemm.QuantMatrix;
import dev.kiln.backend.cpu.qgemm.QuantPacking;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * QLinearMatMul and MatMulInteger by a constant 2-D B, packed (and its zero points subtracted) at compile time.
 * A's leading axes fold into rows; A is packed per run, then the A panels are split over the runner's threads.
 */
final class QMatMulStep implements Step {
    private final Node node;
    private final int input;
    private final int output;
    private final boolean unsignedA;
    private final int aZeroPoint;
    private final PackedRight weights;
    private final OutputKind kind;
    private final VectorSpecies<Integer> species;

    QMatMulStep(Node node, int input, int output, boolean unsignedA, int aZeroPoint, PackedRight weights, OutputKind kind,
                VectorSpecies<Integer> species) {
        this.node = node;
        this.input = input;
        this.output = output;
        this.unsignedA = unsignedA;
        this.aZeroPoint = aZeroPoint;
        this.weights = weights;
        this.kind = kind;
        this.species = species;
    }

    /** One runner's buffers; the packed A and the epilogue are kept while the shape and the output buffer stay. */
    private final class State implements WorkerPool.RangeBody {
        final InputSegments in = new InputSegments(1);
        final ReusedOutput out;
        QuantGemm[] gemms = new QuantGemm[0];
        PackedLeft packed;
        MemorySegment epilogueTarget;
        QuantEpilogue epilogue;

        State(ReusedOutput out) { this.out = out; }

        @Override
        public void run(int worker, int from, int to) { gemms[worker].multiply(packed, weights, epilogue, from, to, 0); }
    }

    @Override
    public Object newState(StepMemory memory) { return new State(memory.output(0, kind.dtype())); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        Tensor a = (Tensor) frame.get(input);
        int k = weights.k(), n = weights.n(), rank = a.rank();
        if (rank < 2 || a.dim(rank - 1) != k) {
            throw new KilnException(node.describe() + ": input A " + Arrays.toString(a.shape()) + " does not match B's " + k + " rows");
        }
        int m = Math.toIntExact(a.size() / k);
        WorkerPool pool = frame.pool();
        if (s.gemms.length != pool.threads()) {
            s.gemms = new QuantGemm[pool.threads()];
            for (int t = 0; t < s.gemms.length; t++) s.gemms[t] = new QuantGemm(species);
        }
        if (s.packed == null || s.packed.m() != m) s.packed = s.gemms[0].newLeft(m, k);
        QuantPacking.packLeft(new QuantMatrix(s.in.of(0, a), 0, m, k, k, false, unsignedA, new int[] {aZeroPoint}, false), s.packed);
        Tensor out = s.out.tensorLike(a, rank - 1, n);
        if (s.epilogueTarget != s.out.segment()) {
            s.epilogueTarget = s.out.segment();
            s.epilogue = kind.epilogue(s.epilogueTarget, 0, n);
        }
        int panels = (m + s.packed.mr() - 1) / s.packed.mr();
        if (pool.threads() == 1 || panels < 2) s.run(0, 0, panels);
        else pool.parallelFor(panels, s);
        frame.set(output, out);
    }

    @Override
    public String describe() { return node.describe() + ": int8 GEMM K=" + weights.k() + " N=" + weights.n(); }
}
