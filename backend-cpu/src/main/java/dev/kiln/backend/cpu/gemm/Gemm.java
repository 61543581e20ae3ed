package dev.kiln.backend.cpu.gemm;

import dev.kiln.backend.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Single-precision GEMM, {@code C (+)= op(A) · op(B)} with an optional fused {@link TileEpilogue}, for row-major
 * matrices in {@link MemorySegment}s (little-endian float32; offsets in bytes, leading dimensions in floats).
 * C is best off-heap (an arena or a direct buffer, as the session's are): a heap C is written through a scratch
 * tile, which keeps the micro-kernel's accesses monomorphic at a small cost.
 * B — in a model, the weights — is packed once with {@link #packB}; A is packed per block into per-thread scratch.
 * Work is split over the {@link WorkerPool} by blocks of rows of C (or of columns, when C has too few rows to go
 * round; with A packed ahead, along whichever has more panels, since then neither split repeats any packing); products under {@link #PARALLEL_MIN_FLOPS} per thread run on the calling thread alone, since waking a worker would
 * cost more than it saves.
 *
 * <p>An instance holds scratch for each of the pool's threads and the current call's operands, so it runs one
 * call at a time (as the ops of an inference do); a warm call allocates nothing.
 */
public final class Gemm {
    /**
     * A call goes parallel only when every thread gets at least this many FLOP (2·m·n·k over the threads), about
     * 5 µs of single-core work; below, waking the workers costs more than it saves (measured on the digits CNN at 2
     * threads: p50 77–84 µs with the per-thread rule against 109–142 µs with a whole-call threshold of the same size).
     */
    public static final long PARALLEL_MIN_FLOPS = 1L << 19;

    private final MicroKernel kernel;
    private final Blocking blocking;
    private final WorkerPool pool;
    private final long parallelMinFlops;
    private final BlockedGemm[] perThread;
    private final GemmCall call = new GemmCall();
    private final GemmCall[] workerCalls;
    private final WorkerPool.RangeBody byRows = this::rowPanels;
    private final WorkerPool.RangeBody byColumns = this::columnPanels;
    private final WorkerPool.RangeBody inPlaceByRows = this::inPlaceRowPanels;
    private final WorkerPool.RangeBody inPlaceByColumns = this::inPlaceColumnPanels;

    /** A GEMM whose micro-kernel uses {@code species} (128, 256 or 512 bits), parallel over {@code pool}. */
    public Gemm(VectorSpecies<Float> species, WorkerPool pool) { this(species, pool, PARALLEL_MIN_FLOPS); }

    /** As above, going parallel from {@code parallelMinFlops} per thread (tests use 0 to split even tiny products). */
    Gemm(VectorSpecies<Float> species, WorkerPool pool, long parallelMinFlops) {
        this.kernel = MicroKernel.forSpecies(species);
        this.pool = pool;
        this.parallelMinFlops = parallelMinFlops;
        this.blocking = Blocking.forTile(kernel.mr, kernel.nr);
        this.perThread = new BlockedGemm[pool.threads()];
        for (int i = 0; i < perThread.length; i++) perThread[i] = new BlockedGemm(kernel, blocking);
        this.workerCalls = new GemmCall[pool.threads()];
        for (int i = 0; i < workerCalls.length; i++) workerCalls[i] = new GemmCall();
    }

    /** A GEMM with the species that is fastest on this machine's kind of core (see {@link #preferredSpecies()}). */
    public Gemm(WorkerPool pool) { this(preferredSpecies(), pool); }

    /**
     * The micro-kernel's species for this machine: {@code SPECIES_PREFERRED}. On Zen 4 (512-bit ops run as two
     * 256-bit halves) the 6×32 kernel at 512 bits still measured faster than the 6×16 one at 256 bits, about 80
     * against 60 GFLOP/s at 512³ on one core, since it needs half the loads and loop overhead per FMA.
     */
    public static VectorSpecies<Float> preferredSpecies() {
        return FloatVector.SPECIES_PREFERRED;
    }

    /** Rows and columns of the register tile. */
    public int tileRows() { return kernel.mr; }

    public int tileColumns() { return kernel.nr; }

    /** Packs B ({@code k × n}; with {@code transB}, stored {@code n × k}) into memory from {@code arena}. */
    public PackedMatrix packB(Arena arena, MemorySegment b, long bOffset, int ldb, boolean transB, int k, int n) {
        PackedMatrix packed = allocatePackedB(arena, k, n);
        packB(b, bOffset, ldb, transB, packed);
        return packed;
    }

    /** Memory from {@code arena} for a packed {@code k × n} B, to be filled by {@link #packB(MemorySegment, long, int, boolean, PackedMatrix)}. */
    public PackedMatrix allocatePackedB(Arena arena, int k, int n) {
        MemorySegment data = arena.allocate(PackedMatrix.byteSize(k, n, kernel.nr), 64);
        return new PackedMatrix(k, n, kernel.nr, blocking.kc(), data);
    }

    /** Bytes a packed {@code k × n} B takes for this GEMM's micro-kernel. */
    public long packedBBytes(int k, int n) { return PackedMatrix.byteSize(k, n, kernel.nr); }

    /** A packed {@code k × n} B over {@code data} (at least {@link #packedBBytes} bytes, e.g. a runner's scratch). */
    public PackedMatrix packedB(MemorySegment data, int k, int n) {
        if (data.byteSize() < packedBBytes(k, n)) throw new IllegalArgumentException("packed B needs " + packedBBytes(k, n) + " bytes");
        return new PackedMatrix(k, n, kernel.nr, blocking.kc(), data);
    }

    /** Packs B into {@code into} (allocated by this GEMM's kind for B's {@code k × n}): for a B that changes every call. */
    public void packB(MemorySegment b, long bOffset, int ldb, boolean transB, PackedMatrix into) {
        if (into.nr() != kernel.nr || into.kc() != blocking.kc()) {
            throw new IllegalArgumentException("the packed buffer was made for another micro-kernel or blocking");
        }
        requireFits("B", b, bOffset, transB ? into.n() : into.k(), transB ? into.k() : into.n(), ldb);
        Packing.packB(b, bOffset, ldb, transB, into);
    }

    /**
     * {@code C = op(A)·B} (or {@code C += op(A)·B} with {@code accumulate}), then {@code epilogue} (may be
     * {@code null}) on every finished tile. {@code op(A)} is {@code m × k}: element {@code (i, p)} at float
     * {@code i·lda + p} of A, or {@code p·lda + i} with {@code transA}. C is {@code m × n}, element {@code (i, j)} at
     * float {@code i·ldc + j}. {@code k} and {@code n} are B's.
     */
    public void multiply(int m, MemorySegment a, long aOffset, int lda, boolean transA, PackedMatrix b,
                         MemorySegment c, long cOffset, int ldc, boolean accumulate, TileEpilogue epilogue) {
        requirePackedForThis(b);
        requireFits("A", a, aOffset, transA ? b.k() : m, transA ? m : b.k(), lda);
        requireFits("C", c, cOffset, m, b.n(), ldc);
        if (m == 0 || b.n() == 0) return;
        call.set(m, a, aOffset, lda, transA, null, b, c, cOffset, ldc, accumulate, epilogue);
        run(m, b);
    }

    /** As {@link #multiply(int, MemorySegment, long, int, boolean, PackedMatrix, MemorySegment, long, int, boolean, TileEpilogue)} with A packed ahead by {@link #packA}. */
    public void multiply(PackedA a, PackedMatrix b, MemorySegment c, long cOffset, int ldc, boolean accumulate, TileEpilogue epilogue) {
        requireOperands(a, b, c, cOffset, ldc);
        if (a.m() == 0 || b.n() == 0) return;
        call.set(a.m(), null, 0, 0, false, a, b, c, cOffset, ldc, accumulate, epilogue);
        run(a.m(), b);
    }

    /**
     * {@code C = A·B} then {@code epilogue} (may be null), A packed ahead, B ({@code a.k() × n}, row-major, {@code ldb}
     * floats per row from byte {@code bOffset}) read in place rather than packed: for a B used once whose rows are
     * already long contiguous runs — a 1×1 convolution's NCHW image is its B. Split over the pool like
     * {@link #multiply(PackedA, PackedMatrix, MemorySegment, long, int, boolean, TileEpilogue)}.
     */
    public void multiplyInPlace(PackedA a, MemorySegment b, long bOffset, int ldb, int n, MemorySegment c, long cOffset, int ldc,
                                TileEpilogue epilogue) {
        if (a.mr() != kernel.mr || a.kc() != blocking.kc()) throw new IllegalArgumentException("A was packed for another micro-kernel or blocking");
        if (a.k() == 0) throw new IllegalArgumentException("an in-place product needs a depth of at least 1");
        requireFits("B", b, bOffset, a.k(), n, ldb);
        requireFits("C", c, cOffset, a.m(), n, ldc);
        if (a.m() == 0 || n == 0) return;
        call.setInPlace(a, b, bOffset, ldb, n, c, cOffset, ldc, epilogue);
        try {
            int rowPanels = ceilDiv(a.m(), kernel.mr), columnPanels = ceilDiv(n, kernel.nr);
            if (pool.threads() == 1 || 2L * a.m() * n * a.k() < parallelMinFlops * pool.threads()) perThread[0].runInPlace(call, 0, a.m(), 0, n);
            else pool.parallelFor(rowPanels >= columnPanels ? rowPanels : columnPanels, rowPanels >= columnPanels ? inPlaceByRows : inPlaceByColumns);
        } finally {
            call.clear();
        }
    }

    /**
     * {@code C = A·B} then {@code epilogue}, entirely on the calling thread with worker {@code worker}'s scratch: for
     * kernels that split their own work over the pool (one block of C's columns per call, each thread packing its
     * own B). The epilogue sees C's columns numbered from {@code columnOrigin}. Calls on different workers may run
     * at once.
     */
    public void multiplyOn(int worker, PackedA a, PackedMatrix b, MemorySegment c, long cOffset, int ldc, int columnOrigin,
                           TileEpilogue epilogue) {
        requireOperands(a, b, c, cOffset, ldc);
        if (a.m() == 0 || b.n() == 0) return;
        GemmCall own = workerCalls[worker];
        own.set(a.m(), null, 0, 0, false, a, b, c, cOffset, ldc, false, epilogue);
        own.columnOrigin = columnOrigin;
        try {
            perThread[worker].run(own, 0, a.m(), 0, b.n());
        } finally {
            own.clear();
        }
    }

    /** Threads of the pool this GEMM splits over, each with its own scratch ({@link #multiplyOn}'s workers). */
    public int threads() { return perThread.length; }

    /**
     * Packs A ({@code m × k}, element {@code (i, p)} at float {@code i·lda + p} from {@code aOffset} bytes) once, for
     * operands that every call reuses (a layer's weights).
     */
    public PackedA packA(MemorySegment a, long aOffset, int lda, int m, int k) {
        requireFits("A", a, aOffset, m, k, lda);
        float[] data = new float[PackedA.floats(m, k, kernel.mr)];
        PackedA packed = new PackedA(m, k, kernel.mr, blocking.kc(), data);
        for (int pc = 0; pc < k; pc += blocking.kc()) {
            Packing.packA(a, aOffset, lda, false, 0, m, pc, Math.min(blocking.kc(), k - pc), kernel.mr, data, packed.offset(pc, 0));
        }
        return packed;
    }

    private void requireOperands(PackedA a, PackedMatrix b, MemorySegment c, long cOffset, int ldc) {
        requirePackedForThis(b);
        if (a.mr() != kernel.mr || a.kc() != blocking.kc() || a.k() != b.k()) {
            throw new IllegalArgumentException("A was packed for another micro-kernel, blocking or depth");
        }
        requireFits("C", c, cOffset, a.m(), b.n(), ldc);
    }

    private void requirePackedForThis(PackedMatrix b) {
        if (b.nr() != kernel.nr || b.kc() != blocking.kc()) {
            throw new IllegalArgumentException("B was packed for another micro-kernel or blocking");
        }
    }

    /** Runs the call set in {@link #call}, on this thread or split over the pool. */
    private void run(int m, PackedMatrix b) {
        int k = b.k(), n = b.n();
        try {
            long flops = 2L * m * n * k;
            int rowPanels = ceilDiv(m, kernel.mr), columnPanels = ceilDiv(n, kernel.nr);
            if (pool.threads() == 1 || flops < parallelMinFlops * pool.threads()) {
                perThread[0].run(call, 0, m, 0, n);
            } else if (call.packedA != null ? rowPanels >= columnPanels : rowPanels >= 4 * pool.threads() || rowPanels >= columnPanels) {
                pool.parallelFor(rowPanels, byRows);
            } else {
                pool.parallelFor(columnPanels, byColumns);
            }
        } finally {
            call.clear();
        }
    }

    private void rowPanels(int worker, int from, int to) {
        int mr = kernel.mr;
        perThread[worker].run(call, from * mr, Math.min(call.m, to * mr), 0, call.b.n());
    }

    private void columnPanels(int worker, int from, int to) {
        int nr = kernel.nr, n = call.b.n();
        perThread[worker].run(call, 0, call.m, from * nr, Math.min(n, to * nr));
    }

    private void inPlaceRowPanels(int worker, int from, int to) {
        perThread[worker].runInPlace(call, from * kernel.mr, Math.min(call.m, to * kernel.mr), 0, call.n);
    }

    private void inPlaceColumnPanels(int worker, int from, int to) {
        perThread[worker].runInPlace(call, 0, call.m, from * kernel.nr, Math.min(call.n, to * kernel.nr));
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /** Checks that a {@code rows × cols} matrix with leading dimension {@code ld} lies inside {@code seg}. */
    private static void requireFits(String name, MemorySegment seg, long offset, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(name + " has a negative dimension");
        if (rows > 1 && ld < cols) throw new IllegalArgumentException(name + ": leading dimension " + ld + " < " + cols);
        long end = rows == 0 || cols == 0 ? offset : offset + ((long) (rows - 1) * ld + cols) * Float.BYTES;
        if (offset < 0 || end > seg.byteSize()) {
            throw new IndexOutOfBoundsException(name + " (" + rows + "×" + cols + ", ld " + ld + ") does not fit its segment");
        }
    }
}
